from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrations.privacy import participations_past_retention, personal_data_erase_expired


class Command(BaseCommand):
    help = (
        "Erase the contact details of registrations whose edition ended more than "
        "REGISTRATION_RETENTION_DAYS days ago (run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="retention period; default: REGISTRATION_RETENTION_DAYS"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be erased"
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options):
        days = days if days is not None else settings.REGISTRATION_RETENTION_DAYS
        if days is None:
            raise CommandError(
                "No retention period: set REGISTRATION_RETENTION_DAYS or pass --days."
            )
        if days < 0:
            raise CommandError("The retention period cannot be negative.")
        if dry_run:
            count = participations_past_retention(days=days).count()
            self.stdout.write(f"{count} registration(s) would be erased.")
            return
        erasure = personal_data_erase_expired(days=days)
        self.stdout.write(
            f"Erased: {erasure.registrations} registration(s) of editions that ended more "
            f"than {days} days ago."
        )
