"""Staff jobs of registrations (run by a worker on the staff queue; see outbox.jobs)."""

from django.core.files.base import ContentFile
from django.utils.translation import gettext_noop
from import_export.formats import base_formats

from common.importexport import _export_filename
from outbox.jobs import job_kind

from .models import Participation, StaffMessage
from .resources import ParticipationResource
from .services import staff_message_deliver


@job_kind(
    "registrations.staff_message_send",
    label=gettext_noop("Send a message to registrants"),
    permission="registrations.send_staffmessage",
)
def staff_message_send_job(job, progress) -> dict:
    message = StaffMessage.objects.select_related("event").get(pk=job.params["message"])
    queued = staff_message_deliver(message=message, progress=progress)
    message.refresh_from_db()
    return {"queued": queued, "recipients": message.recipients}


@job_kind(
    "registrations.export",
    label=gettext_noop("Export registrations"),
    permission="registrations.view_participation",
)
def export(job, progress) -> dict:
    """Export registrations (the edition's, or the ones selected) to XLSX."""
    queryset = Participation.objects.all()
    if event := job.params.get("event"):
        queryset = queryset.filter(event_id=event)
    if pks := job.params.get("pks"):
        queryset = queryset.filter(pk__in=pks)
    total = queryset.count()
    progress(0, total, "reading")
    resource = ParticipationResource()
    dataset = resource.export(queryset=queryset.order_by("pk"))
    progress(total, total, "writing")
    file_format = base_formats.XLSX()
    data = file_format.export_data(dataset)
    job.output_file.save(
        _export_filename(Participation, file_format), ContentFile(data), save=False
    )
    return {"summary": f"{total} rows", "rows": total}
