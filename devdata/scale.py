"""Deterministic volume data for benchmarks and tests, kept apart from real data.

Everything it makes hangs off one series and carries the slug prefix "scale-", so a new run
first removes the previous run's rows and the result depends only on the sizes and the seed.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from events.models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Series,
    Session,
    SessionSpeaker,
    Venue,
)
from followup.models import STAGE_DATE_FIELDS, CapitalEntry, FollowUp, Milestone, Office, Stage
from followup.storage import private_storage
from organizations.models import Organization, Person
from registrations.models import (
    Delegate,
    EmailDelivery,
    ErasureRequest,
    Participation,
    StatusChange,
)
from registrations.public import organization_public_deferred, organization_public_refresh

PREFIX = "scale-"
SERIES_SLUG = f"{PREFIX}series"
BATCH = 2000
#: Above this many institutions, PostgreSQL gets them through COPY.
COPY_FROM = 20000
SUB_VENUES_PER_EDITION = 4
KINDS = [
    Organization.Kind.VC_FIRM,
    Organization.Kind.PE_FIRM,
    Organization.Kind.ENTERPRISE,
    Organization.Kind.FINANCIAL,
    Organization.Kind.MEDIA,
    Organization.Kind.ASSOCIATION,
]
CITIES = [("Shenzhen", "深圳"), ("Beijing", "北京"), ("Shanghai", "上海"), ("Hangzhou", "杭州")]
# Made-up names: a brand of three syllables (English) or two characters (Chinese), then a
# word of the trade. Institution n gets the same name whatever the total, so a search for
# one institution's brand finds a handful of names at 6,000 and at 1,000,000 alike.
SYLLABLES = [
    "ka",
    "lo",
    "ri",
    "ta",
    "ven",
    "mar",
    "sol",
    "tor",
    "lin",
    "qi",
    "an",
    "bo",
    "da",
    "fen",
    "gao",
    "hai",
    "jun",
    "kai",
    "lan",
    "min",
    "nor",
    "pei",
    "rong",
    "sen",
    "tai",
    "wei",
    "xin",
    "yao",
    "zhen",
    "ze",
    "mo",
    "lu",
    "ar",
    "el",
    "is",
    "om",
    "ul",
    "ny",
    "rav",
    "dex",
    "fal",
    "gor",
    "hul",
]
TRADES = ["Capital", "Ventures", "Partners", "Investment", "Fund Management", "Holdings"]
HAN = (
    "安宝博창诚达德鼎东方丰峰福富高广国海和恒弘宏华汇吉佳嘉建金锦晶景骏凯康坤兰力立联良林隆龙"
    "茂美明铭南宁鹏平浦启谦乾清庆荣瑞润睿盛世舜泰腾天同拓万维伟文祥翔鑫信星兴旭亚耀益毅银盈永"
    "友宇元源远越云泽长兆哲振正之志智中众卓资子尊"
).replace("창", "")
TRADES_ZH = ["资本", "创投", "投资", "基金管理", "控股", "合伙"]
STATUSES = [
    (Participation.Status.APPROVED, 80),
    (Participation.Status.PENDING, 8),
    (Participation.Status.WAITLISTED, 5),
    (Participation.Status.REJECTED, 4),
    (Participation.Status.CANCELLED, 3),
]


@dataclass(frozen=True)
class ScaleSizes:
    institutions: int = 6000
    editions: int = 10
    sessions: int = 100
    participations: int = 20000
    agreements: int = 500


def scale_data_delete() -> None:
    """Remove everything a previous run made."""
    with organization_public_deferred():
        events = Event.objects.filter(series__slug=SERIES_SLUG)
        CapitalEntry.objects.filter(followup__agreement__event__in=events).delete()
        FollowUp.objects.filter(agreement__event__in=events).delete()
        Agreement.objects.filter(event__in=events).delete()
        # Without the collector: its receivers would promote from the waiting list after each
        # deleted registration (tens of thousands of times). Generated rows send no e-mail.
        participations = Participation.objects.filter(event__in=events)
        EmailDelivery.objects.filter(participation__in=participations).delete()
        for model in (StatusChange, ErasureRequest, Delegate, Participation.venues.through):
            rows = model.objects.filter(participation__in=participations)
            rows._raw_delete(rows.db)
        participations._raw_delete(participations.db)
        SessionSpeaker.objects.filter(session__event__in=events).delete()
        Person.objects.filter(organization__slug__startswith=PREFIX).delete()
        events.delete()
        Series.objects.filter(slug=SERIES_SLUG).delete()
        # Without the collector: a million rows would be loaded, signalled and copied to the
        # history one by one. Nothing else points at generated institutions any more.
        scale = Organization.objects.filter(slug__startswith=PREFIX)
        scale._raw_delete(scale.db)


@transaction.atomic
def scale_data_generate(*, sizes: ScaleSizes, seed: int = 2024) -> Series:
    """Replace the volume data with a fresh, deterministic set of the given sizes."""
    rng = random.Random(seed)  # noqa: S311 (deterministic test data, not secrets)
    scale_data_delete()
    with organization_public_deferred():
        organizations = _institutions(sizes.institutions, seed=seed)
        series = Series.objects.create(
            slug=SERIES_SLUG,
            name_en="Scale test series (generated data)",
            name_zh_hans="压力测试系列（生成数据）",
            organizer_id=organizations[0],
        )
        events = _editions(series, sizes.editions, host=organizations[0])
        venues = _venues(events)
        _sessions(rng, events, venues, sizes.sessions, organizations)
        _participations(rng, events, venues, organizations, sizes.participations)
        agreements = _agreements(rng, events, organizations, sizes.agreements)
        _followups(rng, agreements)
        KeyFigure.objects.bulk_create(
            [
                KeyFigure(series=series, label_en="Institutions gathered", value=Decimal(6000),
                          qualifier=KeyFigure.Qualifier.OVER),
                KeyFigure(series=series, label_en="Fund cooperation", value=Decimal(10**11),
                          unit=KeyFigure.Unit.YUAN, qualifier=KeyFigure.Qualifier.OVER, order=1),
            ]
        )  # fmt: skip
    _analyze(Participation, EventHost, AgreementParty, Person)
    # bulk_create sends no signals: name the institutions that got a public role.
    ids = sorted(
        {
            *Participation.objects.filter(event__in=events).values_list(
                "organization_id", flat=True
            ),
            *AgreementParty.objects.filter(agreement__event__in=events).values_list(
                "organization_id", flat=True
            ),
            *Person.objects.filter(organization__slug__startswith=PREFIX).values_list(
                "organization_id", flat=True
            ),
            organizations[0],
        }
    )
    for start in range(0, len(ids), BATCH):
        organization_public_refresh(organization_ids=ids[start : start + BATCH])
    _analyze(Organization)  # after the flags: the planner must know how many are public
    return series


def scale_data_vacuum() -> None:
    """VACUUM ANALYZE the database after a bulk load (PostgreSQL, outside a transaction).

    A table just loaded has no visibility map: its index-only scans read the table too until
    autovacuum passes, so pages measured at once (bench/million.py) cost more at a million
    institutions than they will. Skipped inside a transaction (tests), where VACUUM cannot run.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _analyze(*models) -> None:
    """Fresh statistics after a bulk load (PostgreSQL), or the planner guesses: the pages
    measured on this data would read the wrong index."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def institution_name(n: int, seed: int = 2024) -> tuple[str, str]:
    """The made-up English and Chinese names of generated institution ``n``."""
    h = (n * 2654435761 + seed * 97) % 4294967296
    a, b, c = h % 43, (h // 43) % 43, (h // 1849) % 43
    brand = (SYLLABLES[a] + SYLLABLES[b] + SYLLABLES[c]).capitalize()
    trade = (h // 79507) % len(TRADES)
    x, y = (h // 7) % len(HAN), (h // 997) % len(HAN)
    city = CITIES[n % len(CITIES)][1]
    return (
        f"{brand} {TRADES[trade]} {n}",
        f"{city}{HAN[x]}{HAN[y]}{TRADES_ZH[trade]}{n}",
    )


def _institution_values(n: int, seed: int) -> dict:
    name_en, name_zh = institution_name(n, seed)
    city_en, city_zh = CITIES[n % len(CITIES)]
    return {
        "slug": f"{PREFIX}institution-{n:07d}",
        "name_en": name_en,
        "name_zh_hans": name_zh,
        "kind": KINDS[(n * 7 + seed) % len(KINDS)],
        "city_en": city_en,
        "city_zh_hans": city_zh,
    }


def _institutions(count: int, *, seed: int) -> list[int]:
    """Create the institutions; return their ids in order (ids, not instances: a million
    instances would not fit in memory)."""
    if connection.vendor == "postgresql" and count > COPY_FROM:
        return _institutions_copy(count, seed=seed)
    rows = [Organization(**_institution_values(n, seed)) for n in range(1, count + 1)]
    return [o.pk for o in Organization.objects.bulk_create(rows, batch_size=BATCH)]


def _institutions_copy(count: int, *, seed: int) -> list[int]:
    """Load many institutions with COPY (PostgreSQL), then read back their ids in order.

    The search indexes cover public institutions only (organizations migration 0006): rows
    loaded here, none public yet, add nothing to them."""
    table = Organization._meta.db_table
    columns = [
        "name", "name_en", "name_zh_hans", "slug", "kind", "city", "city_en", "city_zh_hans",
        "district", "website", "description", "logo", "uscc", "normalized_name_en",
        "normalized_name_zh_hans", "is_public", "created_at", "updated_at",
    ]  # fmt: skip
    now = timezone.now()
    with connection.cursor() as cursor:
        copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for n in range(1, count + 1):
                v = _institution_values(n, seed)
                copy.write_row(
                    (v["name_en"], v["name_en"], v["name_zh_hans"], v["slug"], v["kind"],
                     v["city_en"], v["city_en"], v["city_zh_hans"], "", "", "", "", "", "", "",
                     False, now, now)
                )  # fmt: skip
        cursor.execute(f"ANALYZE {table}")
    return list(
        Organization.objects.filter(slug__startswith=PREFIX)
        .order_by("slug")
        .values_list("pk", flat=True)
    )


def _editions(series: Series, count: int, *, host: int) -> list[Event]:
    this_year = timezone.localdate().year
    now = timezone.now()
    events = []
    for n in range(count):
        year = this_year - count + 2 + n  # the last edition is next year's
        day = datetime.date(year, 5, 22)
        upcoming = day > timezone.localdate()
        events.append(
            Event(
                series=series,
                slug=f"{PREFIX}edition-{year}",
                title_en=f"Scale test edition {year}",
                title_zh_hans=f"压力测试 {year}",
                start_date=day,
                end_date=day,
                start_time=datetime.time(9),
                end_time=datetime.time(17),
                city_en="Shenzhen",
                city_zh_hans="深圳",
                is_published=True,
                registration_opens_at=now - datetime.timedelta(days=10) if upcoming else None,
                registration_closes_at=(
                    timezone.make_aware(datetime.datetime.combine(day, datetime.time(0)))
                    if upcoming
                    else None
                ),
                capacity=30000 if upcoming else None,
            )
        )
    events = Event.objects.bulk_create(events)
    EventHost.objects.bulk_create(
        [EventHost(event=event, organization_id=host) for event in events]
    )
    return events


def _venues(events: list[Event]) -> dict[int, list[Venue]]:
    rows = []
    for event in events:
        rows.append(Venue(event=event, kind=Venue.Kind.MAIN, name_en="Main venue"))
        rows.extend(
            Venue(event=event, name_en=f"Sub-venue {n}", theme_en=f"Theme {n}", order=n)
            for n in range(1, SUB_VENUES_PER_EDITION + 1)
        )
    venues: dict[int, list[Venue]] = {}
    for venue in Venue.objects.bulk_create(rows):
        venues.setdefault(venue.event_id, []).append(venue)
    return venues


def _sessions(rng, events, venues, count, organizations) -> None:
    people = Person.objects.bulk_create(
        [
            Person(
                name_en=f"Speaker {n:04d}",
                position_en="Managing partner",
                organization_id=rng.choice(organizations),
            )
            for n in range(max(count * 2, 1))
        ]
    )
    sessions = []
    for n in range(count):
        event = events[n % len(events)]
        slot = n // len(events)
        starts = timezone.make_aware(
            datetime.datetime.combine(event.start_date, datetime.time(9 + slot % 8))
        )
        sessions.append(
            Session(
                event=event,
                venue=rng.choice(venues[event.pk]),
                title_en=f"Session {n + 1}",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=50),
                order=slot,
            )
        )
    sessions = Session.objects.bulk_create(sessions)
    SessionSpeaker.objects.bulk_create(
        [
            SessionSpeaker(session=session, person=person, order=order)
            for session in sessions
            for order, person in enumerate(rng.sample(people, 2))
        ]
    )


def _participations(rng, events, venues, organizations, count) -> None:
    per_event = min(len(organizations), -(-count // len(events)))
    statuses, weights = zip(*STATUSES, strict=True)
    created = timezone.now() - datetime.timedelta(days=30)
    rows, chosen = [], []
    for event in events:
        for organization in rng.sample(organizations, per_event):
            if len(rows) == count:
                break
            rows.append(
                Participation(
                    event=event,
                    organization_id=organization,
                    contact_name=f"Contact {len(rows):05d}",
                    contact_email=f"contact{len(rows):05d}@scale.example.com",
                    contact_phone=f"+86 138 {len(rows):08d}",
                    delegates=rng.randint(1, 4),
                    listed_publicly=rng.random() < 0.85,
                    status=rng.choices(statuses, weights)[0],
                    created_at=created + datetime.timedelta(seconds=len(rows)),
                )
            )
            chosen.append(rng.sample(venues[event.pk][1:], rng.randint(0, 2)))
    rows = Participation.objects.bulk_create(rows, batch_size=BATCH)
    through = Participation.venues.through
    through.objects.bulk_create(
        [
            through(participation_id=participation.pk, venue_id=venue.pk)
            for participation, picked in zip(rows, chosen, strict=True)
            for venue in picked
        ],
        batch_size=BATCH,
    )


def _agreements(rng, events, organizations, count) -> list[Agreement]:
    kinds = list(Agreement.Kind)
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                event=(event := events[n % len(events)]),
                kind=rng.choice(kinds),
                title_en=f"Generated agreement {n + 1}",
                signed_on=event.start_date,
                amount_yuan=Decimal(rng.randint(1, 5000) * 1_000_000) if n % 3 else None,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    AgreementParty.objects.bulk_create(
        [
            AgreementParty(agreement=agreement, organization_id=organization, order=order)
            for agreement in agreements
            for order, organization in enumerate(rng.sample(organizations, 2))
        ],
        batch_size=BATCH,
    )
    return agreements


def _followups(rng, agreements: list[Agreement]) -> None:
    """Made-up follow-up of the generated agreements: stages by chance, verified capital in
    yuan or US dollars, one shared generated evidence file (generated data, not real)."""
    today = timezone.localdate()
    office = Office.objects.get_or_create(name="Scale test office (generated data)")[0]
    evidence = "evidence/scale-generated.txt"
    if not private_storage.exists(evidence):
        private_storage.save(evidence, ContentFile(b"Generated evidence (scale test data).\n"))
    followups, milestones, entries = [], [], []
    stage_dates = list(STAGE_DATE_FIELDS.items())
    for number, agreement in enumerate(agreements):
        followup = FollowUp(
            agreement=agreement,
            reference=f"SCALE-{number + 1:05d}",
            office=office,
            publish_stage=True,
            publish_amounts=True,
            publish_realised=True,
            stage_on=agreement.signed_on,
            next_follow_up_on=today + datetime.timedelta(days=rng.randint(-30, 60)),
        )
        milestones.append((followup, Stage.SIGNED, agreement.signed_on, ""))
        days_since = (today - agreement.signed_on).days
        if days_since > 30:
            reached = rng.randint(0, len(stage_dates))
            for index, (stage, field) in enumerate(stage_dates[:reached], start=1):
                day = agreement.signed_on + datetime.timedelta(
                    days=days_since * index // (len(stage_dates) + 1)
                )
                setattr(followup, field, day)
                followup.stage, followup.stage_on = stage, day
                milestones.append((followup, stage, day, ""))
            if reached == 0 and rng.random() < 0.2:
                day = agreement.signed_on + datetime.timedelta(days=days_since // 2)
                followup.stage, followup.stage_on = Stage.TERMINATED, day
                milestones.append((followup, Stage.TERMINATED, day, "Generated reason"))
            if reached >= 3:
                currency = "USD" if rng.random() < 0.15 else "CNY"
                entries.append(
                    CapitalEntry(
                        followup=followup,
                        amount=Decimal(rng.randint(1, 500) * 1_000_000),
                        currency=currency,
                        received_on=followup.stage_on,
                        kind=rng.choice(CapitalEntry.Kind.values),
                        evidence=evidence,
                        verified_at=timezone.now(),
                    )
                )
        followups.append(followup)
    FollowUp.objects.bulk_create(followups, batch_size=BATCH)
    Milestone.objects.bulk_create(
        [
            Milestone(followup=followup, stage=stage, reached_on=day, reason=reason)
            for followup, stage, day, reason in milestones
        ],
        batch_size=BATCH,
    )
    for entry in entries:
        entry.followup_id = entry.followup.pk
    CapitalEntry.objects.bulk_create(entries, batch_size=BATCH)
