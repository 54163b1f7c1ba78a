"""Registration burst against the production server on loopback, by hand (README, "Benchmarks").

    .venv/bin/python bench/burst.py            # 2,000 registrations, 64 at a time
    .venv/bin/python bench/burst.py --quick    # 300 registrations, to try it out

It creates its own PostgreSQL database (postgres:///vcday_burst, dropped afterwards unless
--keep-db) with one edition open for registration in automatic-confirmation mode, with fewer
places than registrations (edition and each sub-venue), starts gunicorn with
config/gunicorn.py and the production settings on 127.0.0.1, and POSTs the real registration
form (with its CSRF token) from many threads at once, every submission a different institution
with 1-3 delegates and zero or one sub-venue.

The per-IP limit on submissions would stop a burst from one address after a few: the server
runs with REGISTRATION_RATE_LIMIT=1000000/h (set only for this benchmark).

Afterwards it checks, from the database: the confirmed delegates exceed no capacity (the
edition's, each sub-venue's); every submission was confirmed, wait-listed or cleanly refused
(a 4xx answer or the form again with an error), none failed (5xx, lost connection); the rows
stored equal the submissions answered with a redirect to their status page. It prints
registrations per second and exits 1 when a check fails or fewer than 60 per second were
handled.
"""

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import RESULTS, Server, psql_database  # noqa: E402

TARGET_PER_SECOND = 60


def setup_django(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def create_edition(*, places: int, venue_places: list[int]):
    import datetime

    from django.utils import timezone

    from events.models import Event, Series, Venue
    from organizations.models import Organization

    host = Organization.objects.create(name_en="Burst host", slug="burst-host", kind="government")
    series = Series.objects.create(name_en="Burst series", slug="burst-series", organizer=host)
    now = timezone.now()
    event = Event.objects.create(
        series=series,
        title_en="Burst edition",
        slug="burst-edition",
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=30),
        city_en="Shenzhen",
        is_published=True,
        registration_opens_at=now - datetime.timedelta(hours=1),
        registration_closes_at=now + datetime.timedelta(days=10),
        capacity=places,
        approval_mode=Event.ApprovalMode.AUTOMATIC,
    )
    Venue.objects.create(event=event, kind=Venue.Kind.MAIN, name_en="Main venue")
    venues = [
        Venue.objects.create(
            event=event, kind=Venue.Kind.SUB, name_en=f"Sub-venue {i}", capacity=cap, order=i
        )
        for i, cap in enumerate(venue_places, start=1)
    ]
    return event, venues


class Client:
    """One keep-alive-free HTTP client per call; the CSRF cookie and token are shared."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", path)
        response = conn.getresponse()
        html = response.read().decode()
        cookie = response.getheader("Set-Cookie", "")
        self.csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        self.csrf_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        conn.close()

    def register(self, number: int, venue_ids: list[int], rng: random.Random) -> tuple[int, str]:
        fields = [
            ("csrfmiddlewaretoken", self.csrf_token),
            ("institution_name", f"Burst Capital {number:05d}"),
            ("institution_kind", "vc_firm"),
            ("uscc", ""),
            ("city", "Shenzhen"),
            ("website", ""),
            ("contact_name", f"Contact {number}"),
            ("contact_position", "Partner"),
            ("contact_email", f"burst{number}@example.com"),
            ("contact_phone", "+86 755 1234 5678"),
            ("delegates", str(rng.choice([1, 1, 2, 3]))),
            ("listed_publicly", "on"),
            ("privacy_consent", "on"),
            ("homepage", ""),
        ]
        choice = rng.choice([None, *venue_ids])
        if choice is not None:
            fields.append(("venues", str(choice)))
        body = urllib.parse.urlencode(fields)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(
                "POST",
                self.path,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={self.csrf_cookie}",
                },
            )
            response = conn.getresponse()
            html = response.read().decode(errors="replace")
            return response.status, html
        except OSError as error:
            return 0, str(error)
        finally:
            conn.close()


def classify(status: int, html: str) -> str:
    if status == 302:
        return "accepted"
    if status in {403, 429}:
        return f"refused {status}"
    if status == 200 and ("invalid-feedback" in html or "alert-danger" in html):
        return "refused with a form error"
    return f"FAILED {status}"


def check(event, venues, accepted: int) -> list[str]:
    from django.db.models import Sum

    from registrations.models import Participation

    problems = []
    rows = Participation.objects.filter(event=event)
    approved = rows.filter(status=Participation.Status.APPROVED)
    statuses = Counter(rows.values_list("status", flat=True))
    confirmed = approved.aggregate(n=Sum("delegates"))["n"] or 0
    print(f"Stored: {rows.count()} registrations {dict(statuses)}")
    print(f"Edition: {confirmed} of {event.capacity} places confirmed")
    if confirmed > event.capacity:
        problems.append(f"edition overbooked: {confirmed} > {event.capacity}")
    for venue in venues:
        used = approved.filter(venues=venue).aggregate(n=Sum("delegates"))["n"] or 0
        print(f"{venue.name}: {used} of {venue.capacity} places confirmed")
        if used > venue.capacity:
            problems.append(f"{venue.name} overbooked: {used} > {venue.capacity}")
    if rows.count() != accepted:
        problems.append(f"{rows.count()} rows stored for {accepted} accepted submissions")
    unexpected = set(statuses) - {Participation.Status.APPROVED, Participation.Status.WAITLISTED}
    if unexpected:
        problems.append(f"unexpected statuses: {unexpected}")
    return problems


def main() -> int:  # noqa: PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 registrations")
    parser.add_argument("--registrations", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--port", type=int, default=8411, help="a port in 8400-8499")
    parser.add_argument("--database", default="vcday_burst")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--places", type=int, default=0, help="edition capacity (default: half the registrations)"
    )
    options = parser.parse_args()
    total = 300 if options.quick else options.registrations
    # Fewer places than registrations (which ask for 1.75 delegates on average).
    places = options.places or total // 2
    venue_places = [max(places // 2, total // 5), max(places // 2, total // 6), total // 8]

    stamps = tempfile.mkdtemp(prefix="vcday-burst-stamps-")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres:///{options.database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_CACHE_STAMPS_DIR": stamps,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "REGISTRATION_RATE_LIMIT": "1000000/h",
        "REDIS_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    psql_database("dropdb", options.database)
    psql_database("createdb", options.database)
    try:
        setup_django(env)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        event, venues = create_edition(places=places, venue_places=venue_places)
        connections.close_all()
        path = f"/en/events/{event.slug}/register/"
        print(
            f"{total} registrations, {options.concurrency} at a time, for {places} places "
            f"(sub-venues {venue_places}), automatic confirmation",
            flush=True,
        )
        with Server({**os.environ, **env}, port=options.port, log=RESULTS / "gunicorn-burst.log"):
            client = Client(options.port, path)
            venue_ids = [v.pk for v in venues]
            outcomes: Counter = Counter()
            lock = threading.Lock()

            def one(number: int) -> None:
                status, html = client.register(number, venue_ids, random.Random(number))  # noqa: S311
                with lock:
                    outcomes[classify(status, html)] += 1

            started = time.monotonic()
            with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
                list(pool.map(one, range(total)))
            elapsed = time.monotonic() - started
        rate = total / elapsed
        print(f"Answers: {dict(outcomes)}")
        print(f"{total} submissions in {elapsed:.1f} s: {rate:.1f} registrations/s")
        problems = check(event, venues, outcomes["accepted"])
        problems += [f"{n} submissions {k}" for k, n in outcomes.items() if k.startswith("FAILED")]
        if rate < TARGET_PER_SECOND:
            problems.append(f"{rate:.1f} registrations/s, target {TARGET_PER_SECOND}")
        print("All checks passed." if not problems else "PROBLEMS: " + "; ".join(problems))
        return 1 if problems else 0
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            subprocess.run(["dropdb", "--if-exists", options.database], check=False)
        subprocess.run(["rm", "-rf", stamps], check=False)


if __name__ == "__main__":
    sys.exit(main())
