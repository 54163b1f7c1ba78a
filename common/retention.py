"""The daily commands that remove what is older than a retention period set in the settings."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class RetentionCommand(BaseCommand):
    """``--days`` overrides the retention setting for one run; the setting at 0 (None) is off.

    A subclass names its setting, says what it did (``done``, with ``{count}`` and ``{days}``)
    and removes in ``prune(days=…)``, returning how many rows it changed. Idempotent: run daily.
    """

    setting: str
    done: str

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help=f"Override {self.setting} for this run."
        )

    def handle(self, *, days: int | None, verbosity: int, **options):
        days = getattr(settings, self.setting) if days is None else days
        if days is None:
            self.stdout.write(f"Nothing removed: the retention is off ({self.setting}=0).")
            return
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = self.prune(days=days)
        if verbosity:
            self.stdout.write(self.done.format(count=count, days=days))

    def prune(self, *, days: int) -> int:
        raise NotImplementedError
