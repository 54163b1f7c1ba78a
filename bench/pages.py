"""Time the public pages and count their queries, by hand, against scale data.

    .venv/bin/python manage.py generate_scale_data       # once, on the database to measure
    .venv/bin/python bench/pages.py [--runs 20]

Uses DATABASE_URL like the app (SQLite by default). Pages are rendered through
Django's test client in this process (no network, no server): the figures are
view + template + SQL time. The edition page, its institution list and the
directory must stay under 100 ms (median); the script exits 1 when one does not.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# Test settings: plain static storage, so no collectstatic is needed.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from events.models import Agreement, Event  # noqa: E402
from registrations.models import Participation  # noqa: E402

BUDGET_MS = 100
WITH_BUDGET = {"edition", "edition institutions", "directory"}


def pages() -> list[tuple[str, str]]:
    event = (
        Event.objects.published()
        .annotate(n=Count("participations", filter=Q(participations__status="approved")))
        .order_by("-n")
        .first()
    )
    if event is None:
        sys.exit("No published edition: run `manage.py generate_scale_data` first.")
    participation = (
        Participation.objects.filter(event=event, status="approved", listed_publicly=True)
        .select_related("organization")
        .first()
    )
    agreement = Agreement.objects.filter(event=event).first() or Agreement.objects.first()
    found = [
        ("home", "/{lang}/"),
        ("editions", "/{lang}/events/"),
        ("edition", f"/{{lang}}/events/{event.slug}/"),
        ("edition institutions", f"/{{lang}}/events/{event.slug}/institutions/"),
        ("edition institutions p.5", f"/{{lang}}/events/{event.slug}/institutions/?page=5"),
        ("edition search", f"/{{lang}}/events/{event.slug}/institutions/?q=capital&kind=vc_firm"),
        ("calendar.ics", f"/{{lang}}/events/{event.slug}/calendar.ics"),
        ("series", f"/{{lang}}/series/{event.series.slug}/"),
        ("directory", "/{lang}/institutions/"),
        ("directory p.20", "/{lang}/institutions/?page=20"),
        ("directory search", "/{lang}/institutions/?q=capital"),
        ("agreements", "/{lang}/agreements/"),
        ("sitemap.xml", "/sitemap.xml"),
    ]
    if participation:
        found.append(("institution", f"/{{lang}}/institutions/{participation.organization.slug}/"))
    if agreement:
        found.append(("agreement", f"/{{lang}}/agreements/{agreement.pk}/"))
    print(
        f"Edition measured: {event.slug} ({event.n} approved registrations); "
        f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}"
    )
    return found


def measure(client: Client, address: str, runs: int) -> tuple[float, float, int]:
    for _ in range(2):  # warm caches (templates, translations, the database's pages)
        client.get(address)
    timings = []
    for _ in range(runs):
        cache.clear()  # measure the page itself, not the sitemap's page cache
        started = time.perf_counter()
        response = client.get(address)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{address}: HTTP {response.status_code}")
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    timings.sort()
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    return statistics.median(timings), p95, len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lang", action="append", choices=["en", "zh-hans"])
    options = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    slow = []
    print(f"{'page':<26} {'lang':<8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, pattern in pages():
        for lang in options.lang or ["en", "zh-hans"]:
            address = pattern.format(lang=lang)
            median, p95, queries = measure(client, address, options.runs)
            over = name in WITH_BUDGET and median > BUDGET_MS
            if over:
                slow.append(f"{name} ({lang})")
            flag = "  OVER BUDGET" if over else ""
            print(f"{name:<26} {lang:<8} {median:>10.1f} {p95:>8.1f} {queries:>8}{flag}")
            if "{lang}" not in pattern:
                break
    if slow:
        print(f"Over {BUDGET_MS} ms: {', '.join(slow)}")
        return 1
    print(f"Edition page, its institution list and the directory: under {BUDGET_MS} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
