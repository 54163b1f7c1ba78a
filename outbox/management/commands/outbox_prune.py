"""`manage.py outbox_prune`: blank the texts of e-mails sent longer ago than the retention."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from outbox.services import emails_prune


class Command(BaseCommand):
    help = (
        "Blank the texts of e-mails sent more than OUTBOX_BODY_RETENTION_DAYS days ago (the "
        "delivery record stays). Idempotent: run it daily (a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override OUTBOX_BODY_RETENTION_DAYS for this run.",
        )

    def handle(self, *, days: int | None, verbosity: int, **options):
        days = settings.OUTBOX_BODY_RETENTION_DAYS if days is None else days
        if days is None:
            self.stdout.write("Retention of e-mail texts is off (OUTBOX_BODY_RETENTION_DAYS=0).")
            return
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = emails_prune(days=days)
        if verbosity:
            self.stdout.write(f"Texts removed from {count} sent e-mails older than {days} days.")
