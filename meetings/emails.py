"""E-mails about meetings to registrants' contact persons, in the language each registered in,
queued through the outbox in the caller's transaction."""

import logging

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox.models import OutboundEmail
from outbox.services import email_queue
from registrations.models import Participation

logger = logging.getLogger(__name__)


def emails_to(address: str) -> QuerySet[OutboundEmail]:
    """The e-mails about meetings sent to ``address`` (a registration's contact person): what
    a data export lists and an erasure scrubs."""
    return OutboundEmail.objects.filter(kind__startswith="meeting_", to__iexact=address)


def meetings_url(participation: Participation) -> str:
    """The absolute link to the registration's meetings page, in its language."""
    with translation.override(participation.language):
        return settings.SITE_URL + reverse(
            "meetings:home", kwargs={"reference": participation.reference}
        )


def _queue(*, participation: Participation, kind: str, context: dict, dedupe_key=None):
    try:
        with translation.override(participation.language):
            context = {
                "participation": participation,
                "event": participation.event,
                "institution_name": participation.institution_name,
                "meetings_url": meetings_url(participation),
                **context,
            }
            subject = render_to_string(f"meetings/email/{kind}_subject.txt", context)
            body = render_to_string(f"meetings/email/{kind}_body.txt", context)
    except Exception:
        logger.exception(
            "Could not render the %s e-mail of registration %s", kind, participation.pk
        )
        return None
    return email_queue(
        to=participation.contact_email,
        subject=" ".join(subject.split()),
        body_text=body,
        kind=f"meeting_{kind}",
        language=participation.language,
        dedupe_key=dedupe_key,
    )


def meeting_email(*, meeting, kind: str, to_requester: bool):
    """Tell one side about a change of a meeting (requested, accepted, declined, expired,
    cancelled, changed)."""
    ours = meeting.requester if to_requester else meeting.invitee
    theirs = meeting.invitee if to_requester else meeting.requester
    participation = ours.participation
    return _queue(
        participation=participation,
        kind=kind,
        context={
            "meeting": meeting,
            "delegate": ours,
            "counterpart": theirs,
            "counterpart_institution": theirs.participation.institution_name,
        },
    )


def agenda_email(*, participation: Participation, kind: str, dedupe_key: str, day=None):
    """Send a registration its confirmed meetings (the published schedule; those of ``day``,
    the day before)."""
    from django.utils import timezone

    from .selectors import agenda

    meetings = [
        meeting
        for meeting in agenda(participation=participation)
        if meeting.status == "accepted"
        and (day is None or timezone.localtime(meeting.slot.starts_at).date() == day)
    ]
    if not meetings:
        return None
    return _queue(
        participation=participation,
        kind=kind,
        context={"meetings": meetings},
        dedupe_key=dedupe_key,
    )
