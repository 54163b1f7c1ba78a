"""`manage.py send_followup_reminders`: case officers' daily reminder (run daily from a timer)."""

from django.core.management.base import BaseCommand

from followup.services import followup_reminders_queue


class Command(BaseCommand):
    help = (
        "Queue one e-mail to each case officer whose agreements are due for a follow-up (next "
        "follow-up date today or earlier). Idempotent per officer and day."
    )

    def handle(self, **options):
        queued = followup_reminders_queue()
        self.stdout.write(f"{queued} follow-up reminder(s) queued.")
