import time

from django.core.management.base import BaseCommand

from common.pagecache import public_pages_invalidate
from devdata.scale import ScaleSizes, scale_data_generate, scale_data_vacuum


class Command(BaseCommand):
    help = "Replace the generated volume data (its own series, slugs starting with 'scale-')."

    def add_arguments(self, parser):
        defaults = ScaleSizes()
        for name in ScaleSizes.__dataclass_fields__:
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, **options):
        sizes = ScaleSizes(**{name: options[name] for name in ScaleSizes.__dataclass_fields__})
        started = time.monotonic()
        series = scale_data_generate(sizes=sizes, seed=options["seed"])
        scale_data_vacuum()
        # bulk_create sends no signals: mark every cached public page out of date.
        public_pages_invalidate()
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {sizes} under the series {series.slug!r} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
