from django.core.management.base import BaseCommand

from common.pagecache import public_pages_invalidate
from devdata.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo edition from the seed and a sample upcoming edition (idempotent)."

    def handle(self, *args, **options):
        event = load_demo()
        # Signals already marked most pages; this covers what the loader wrote in bulk.
        public_pages_invalidate()
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {event} and a sample edition."))
