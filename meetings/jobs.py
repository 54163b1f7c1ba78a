"""Staff jobs of meetings (run by a worker on the staff queue; see outbox.jobs)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from events.models import Event
from outbox.jobs import JobError, job_kind

from . import services


# The right the admin's action asks to start it, asked again to run it after an interruption;
# shared: an organizer clicking again is sent to the job a colleague started.
@job_kind(
    services.SCHEDULE_JOB,
    label=gettext_noop("Generate a draft schedule"),
    permission="meetings.change_meetingsettings",
    shared=True,
)
def schedule_generate(job, progress) -> dict:
    """Replace the edition's draft schedule by a generated one; report what it placed."""
    event = Event.objects.filter(pk=job.params["event"]).first()
    if event is None:
        raise JobError(_("This edition no longer exists."))
    progress(0, 1)
    try:
        run = services.schedule_generate(event=event, by=job.created_by)
    except services.MeetingError as error:
        raise JobError(str(error)) from error
    progress(1, 1)
    report = run.report
    summary = _(
        "%(event)s: %(placed)s of %(pairs)s wished meetings placed (at most %(bound)s "
        "possible); must-meets %(musts)s of %(must_total)s (at most %(must_bound)s), in "
        "%(seconds)s s. Review the drafts, then publish."
    ) % {
        "event": event,
        "placed": report["pairs_placed"],
        "pairs": report["pairs"],
        "bound": report["pairs_upper_bound"],
        "musts": report["must_meet_placed"],
        "must_total": report["must_meet"],
        "must_bound": report["must_meet_upper_bound"],
        "seconds": report["seconds"],
    }
    return {"summary": summary, "run": run.pk, **report}
