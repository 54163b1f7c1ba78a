"""The generated meeting schedule on 500 participants and 2,000 wishes, by hand.

    .venv/bin/python bench/meetings_scheduler.py                 # target 30 s
    .venv/bin/python bench/meetings_scheduler.py --participants 200 --preferences 800

It builds a throw-away SQLite database in a temporary folder (tables from the models), creates one
edition with two rounds (09:00–12:00 and 14:00–17:40, 20-minute slots, 60 tables each; 20 slots),
half investors and half projects, one or two delegates each (fixed random seed), and that many
wishes between them (a quarter "must meet"). It then times ``services.schedule_generate`` (read,
solve, write the drafts), checks in the database that no delegate has two seats at one time and
no table two meetings in a slot, and prints the share of must-meets and of all wished meetings
placed beside an upper bound (each institution's capacity). Exits 1 above 30 s or on a double
booking.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--preferences", type=int, default=2000)
    parser.add_argument("--cap", type=int, default=8)
    parser.add_argument("--tables", type=int, default=60, help="tables per round")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
            DJANGO_LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        from django.apps import apps
        from django.conf import settings
        from django.core.management import call_command

        # Tables straight from the models (no migration history): seconds instead of a minute.
        settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
        started = time.perf_counter()
        call_command("migrate", run_syncdb=True, verbosity=0)
        print(f"database created in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        code = run(args)
        print(
            f"data generated, scheduled twice and checked in {time.perf_counter() - started:.1f} s"
        )
        return code


def create(args):
    from django.utils import timezone

    from events.models import Event, Series, Venue
    from meetings.models import MeetingPreference, MeetingProfile, MeetingRound, MeetingSettings
    from meetings.services import round_generate
    from organizations.models import Organization
    from registrations.models import Delegate, Participation

    rng = random.Random(20240522)  # noqa: S311 - reproducible test data
    organizer = Organization.objects.create(name="Bench organizer", slug="bench-organizer")
    series = Series.objects.create(name="Bench series", slug="bench", organizer=organizer)
    day = timezone.localdate() + datetime.timedelta(days=30)
    event = Event.objects.create(
        series=series, title="Bench edition", slug="bench", start_date=day, end_date=day
    )
    venue = Venue.objects.create(event=event, name="Meeting hall")
    MeetingSettings.objects.create(event=event, max_meetings_per_delegate=args.cap)
    for start, end in (
        (datetime.time(9), datetime.time(12)),
        (datetime.time(14), datetime.time(17, 40)),
    ):
        meeting_round = MeetingRound.objects.create(
            event=event,
            venue=venue,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, start)),
            ends_at=timezone.make_aware(datetime.datetime.combine(day, end)),
            slot_minutes=20,
            tables=args.tables,
        )
        round_generate(meeting_round=meeting_round)
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Bench institution {i}", slug=f"bench-{i}")
        for i in range(args.participants)
    )
    participations = Participation.objects.bulk_create(
        Participation(
            event=event,
            organization=organization,
            contact_name="Bench",
            contact_email=f"bench{i}@example.com",
            status=Participation.Status.APPROVED,
        )
        for i, organization in enumerate(organizations)
    )
    Delegate.objects.bulk_create(
        Delegate(participation=p, name_en=f"Delegate {i}-{n}", order=n)
        for i, p in enumerate(participations)
        for n in range(1 + (rng.random() < 0.3))
    )
    investors = participations[: args.participants // 2]
    projects = participations[args.participants // 2 :]
    MeetingProfile.objects.bulk_create(
        MeetingProfile(participation=p, side="investor" if p in investors else "project")
        for p in participations
    )
    # Popularity is skewed: some projects are wanted by many investors.
    weights = [1 / (rank + 5) for rank in range(len(projects))]
    wishes = set()
    while len(wishes) < args.preferences:
        investor = rng.choice(investors)
        project = rng.choices(projects, weights)[0]
        source, target = (investor, project) if rng.random() < 0.6 else (project, investor)
        wishes.add((source.pk, target.pk))
    MeetingPreference.objects.bulk_create(
        MeetingPreference(
            participation_id=source,
            target_id=target,
            level=3 if rng.random() < 0.25 else 1,
        )
        for source, target in wishes
    )
    return event


def run(args) -> int:
    from django.db.models import Count

    from meetings.models import Meeting, MeetingSeat
    from meetings.services import schedule_generate

    event = create(args)
    results = {}
    for improve in (False, True):
        started = time.perf_counter()
        run_ = schedule_generate(event=event, improve=improve)
        results[improve] = (time.perf_counter() - started, run_.report)
    seconds, report = results[True]
    double_seats = (
        MeetingSeat.objects.values("delegate", "slot").annotate(n=Count("pk")).filter(n__gt=1)
    )
    double_tables = (
        Meeting.objects.holding().values("slot", "table").annotate(n=Count("pk")).filter(n__gt=1)
    )
    greedy = results[False][1]
    print(
        f"{args.participants} participants, {report['pairs']} wished pairs "
        f"({report['must_meet']} must-meets) from {args.preferences} wishes, cap {args.cap}"
    )
    for label, (secs, rep) in (
        ("greedy only", results[False]),
        ("greedy + improvement", results[True]),
    ):
        print(
            f"{label:>22}: must-meets {rep['must_meet_placed']}/{rep['must_meet']} "
            f"({rep['must_meet_placed'] / max(rep['must_meet'], 1):.1%}; upper bound "
            f"{rep['must_meet_upper_bound']}), all {rep['pairs_placed']}/{rep['pairs']} "
            f"({rep['pairs_placed'] / max(rep['pairs'], 1):.1%}; upper bound "
            f"{rep['pairs_upper_bound']}), {secs:.1f} s with reading and writing"
        )
    placed, musts = report["must_meet_placed"], max(report["must_meet"], 1)
    bound = max(report["must_meet_upper_bound"], 1)
    print(
        f"share of must-meets satisfied: {placed / musts:.1%} ({placed / bound:.1%} of the bound);"
        f" greedy alone {greedy['must_meet_placed'] / musts:.1%}"
    )
    if double_seats.exists() or double_tables.exists():
        print("FAIL: double booking")
        return 1
    print("no delegate or table double-booked")
    if seconds > TARGET_SECONDS:
        print(f"FAIL: over {TARGET_SECONDS} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
