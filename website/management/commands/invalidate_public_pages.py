from django.core.management.base import BaseCommand

from common.pagecache import public_pages_invalidate


class Command(BaseCommand):
    help = (
        "Mark every cached public page out of date: run it after changing data without the "
        "models' signals (bulk SQL, a database restore)."
    )

    def handle(self, *args, **options):
        public_pages_invalidate()
        self.stdout.write(self.style.SUCCESS("Cached public pages will be rendered again."))
