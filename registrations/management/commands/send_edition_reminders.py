"""`manage.py send_edition_reminders --days 7`: the reminder before an edition (run daily)."""

from django.core.management.base import BaseCommand

from registrations.services import edition_reminders_queue


class Command(BaseCommand):
    help = (
        "Queue the reminder e-mail to the approved registrants of editions that start in --days "
        "days (in TIME_ZONE). Idempotent: run it daily from a timer, twice or on two hosts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="days before the edition (7)")

    def handle(self, *, days: int, **options):
        if days < 0:
            self.stderr.write("--days must be 0 or more")
            raise SystemExit(2)
        queued = edition_reminders_queue(days=days)
        self.stdout.write(f"{queued} reminder(s) queued for editions starting in {days} days.")
