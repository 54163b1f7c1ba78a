"""`manage.py webhooks_prune`: delete old webhook messages that were delivered or given up."""

from api.webhooks import webhook_deliveries_prune
from common.retention import RetentionCommand


class Command(RetentionCommand):
    help = (
        "Delete webhook messages created more than WEBHOOK_DELIVERY_RETENTION_DAYS days ago that "
        "were delivered or given up, with their attempts (pending ones stay). Idempotent: run "
        "it daily (a timer)."
    )
    setting = "WEBHOOK_DELIVERY_RETENTION_DAYS"
    done = "{count} webhook messages older than {days} days deleted."

    def prune(self, *, days: int) -> int:
        return webhook_deliveries_prune(days=days)
