"""`manage.py outbox_prune`: blank the texts of e-mails sent longer ago than the retention."""

from common.retention import RetentionCommand
from outbox.services import emails_prune


class Command(RetentionCommand):
    help = (
        "Blank the texts of e-mails sent more than OUTBOX_BODY_RETENTION_DAYS days ago (the "
        "delivery record stays). Idempotent: run it daily (a timer)."
    )
    setting = "OUTBOX_BODY_RETENTION_DAYS"
    done = "Texts removed from {count} sent e-mails older than {days} days."

    def prune(self, *, days: int) -> int:
        return emails_prune(days=days)
