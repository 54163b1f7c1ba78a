"""Send the webhook messages that are due (once, or in a loop as a worker)."""

import time

from django.core.management.base import BaseCommand

from api.webhooks import webhook_deliver_due


class Command(BaseCommand):
    help = "Send due webhook messages; with --loop keep doing so every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)
        parser.add_argument("--limit", type=int, default=100)

    def handle(self, *args, loop: bool, interval: float, limit: int, **options):
        while True:
            sent = webhook_deliver_due(limit=limit)
            if options["verbosity"] > 1 or (sent and not loop):
                self.stdout.write(f"{sent} webhook message(s) attempted.")
            if not loop:
                return
            if sent < limit:
                time.sleep(interval)
