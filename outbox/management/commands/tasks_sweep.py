"""`manage.py tasks_sweep`: recover e-mails and tasks that lost workers left behind."""

import time

from django.core.management.base import BaseCommand

from outbox.services import outbox_sweep, tasks_reap_lost


class Command(BaseCommand):
    help = (
        "Re-queue outbox e-mails whose worker or task was lost and mark the task rows of dead "
        "workers failed. Idempotent: run it every minute (a timer), on one host or several."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="Repeat every N seconds until stopped (default: run once).",
        )

    def handle(self, *, every: float, verbosity: int, **options):
        while True:
            counts = {**outbox_sweep(), "tasks_reaped": tasks_reap_lost()}
            if verbosity > 1 or any(counts.values()):
                self.stdout.write(f"tasks sweep: {counts}")
            if not every:
                return
            try:
                time.sleep(every)
            except KeyboardInterrupt:
                return
