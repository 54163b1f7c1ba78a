"""`manage.py webhooks_prune`: delete old webhook messages that were delivered or given up."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from api.webhooks import webhook_deliveries_prune


class Command(BaseCommand):
    help = (
        "Delete webhook messages created more than WEBHOOK_DELIVERY_RETENTION_DAYS days ago that "
        "were delivered or given up, with their attempts (pending ones stay). Idempotent: run "
        "it daily (a timer)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override WEBHOOK_DELIVERY_RETENTION_DAYS for this run.",
        )

    def handle(self, *, days: int | None, verbosity: int, **options):
        days = settings.WEBHOOK_DELIVERY_RETENTION_DAYS if days is None else days
        if days is None:
            self.stdout.write("Webhook messages are kept (WEBHOOK_DELIVERY_RETENTION_DAYS=0).")
            return
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = webhook_deliveries_prune(days=days)
        if verbosity:
            self.stdout.write(f"{count} webhook messages older than {days} days deleted.")
