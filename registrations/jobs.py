"""Staff jobs of registrations (run by a worker on the staff queue; see outbox.jobs)."""

from outbox.jobs import job_kind

from .models import StaffMessage
from .services import staff_message_deliver


@job_kind("registrations.staff_message_send")
def staff_message_send_job(job, progress) -> dict:
    message = StaffMessage.objects.select_related("event").get(pk=job.params["message"])
    queued = staff_message_deliver(message=message, progress=progress)
    message.refresh_from_db()
    return {"queued": queued, "recipients": message.recipients}
