"""Reads for the staff dashboard; a fixed number of queries whatever the data size."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import TruncDate

from common.bilingual import missing_translation_q
from events.models import Agreement, Event, KeyFigure, Photo, Session, SessionSpeaker, Venue
from registrations.models import Participation
from registrations.selectors import Usage, places_usage, registrations_by_status

Status = Participation.Status


@dataclass
class UpcomingEdition:
    event: Event
    by_status: dict[str, int] = field(default_factory=dict)
    loads: list[Usage] = field(default_factory=list)
    per_day: list[tuple[datetime.date, int]] = field(default_factory=list)

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return [(label, self.by_status.get(value, 0)) for value, label in Status.choices]

    @property
    def busiest_day(self) -> int:
        return max((n for _, n in self.per_day), default=0)


@dataclass(frozen=True)
class PastEdition:
    event: Event
    institutions: int
    delegates: int
    agreements: int
    amount: Decimal | None


@dataclass(frozen=True)
class Untranslated:
    """Records of an edition with a text in one language only."""

    chinese: int = 0  # Chinese missing
    english: int = 0  # English missing

    @property
    def any(self) -> bool:
        return bool(self.chinese or self.english)


# The edition's own content, by the path from each model to its edition.
EDITION_CONTENT = [
    (Event, "pk"),
    (Venue, "event_id"),
    (Session, "event_id"),
    (SessionSpeaker, "session__event_id"),
    (Agreement, "event_id"),
    (KeyFigure, "event_id"),
    (Photo, "event_id"),
]


def untranslated_by_edition(*, event_ids: list[int]) -> dict[int, Untranslated]:
    """Count each edition's records missing Chinese or English text: one query per model."""
    counts: dict[int, dict[str, int]] = {pk: {"chinese": 0, "english": 0} for pk in event_ids}
    for model, path in EDITION_CONTENT:
        rows = (
            model.objects.filter(**{f"{path}__in": event_ids})
            .order_by()
            .values(path)
            .annotate(
                chinese=Count("pk", filter=missing_translation_q(model, "zh-hans")),
                english=Count("pk", filter=missing_translation_q(model, "en")),
            )
        )
        for row in rows:
            counts[row[path]]["chinese"] += row["chinese"]
            counts[row[path]]["english"] += row["english"]
    return {pk: Untranslated(**n) for pk, n in counts.items()}


def dashboard_upcoming(*, today: datetime.date | None = None) -> list[UpcomingEdition]:
    """Return editions not yet over, drafts included, with their registrations' state."""
    events = list(Event.objects.upcoming(today=today))
    usage = places_usage(events=events)
    by_status = registrations_by_status(events=events)
    editions = {
        event.pk: UpcomingEdition(
            event=event, by_status=by_status.get(event.pk, {}), loads=usage[event.pk]
        )
        for event in events
    }
    for row in (
        Participation.objects.filter(event__in=events)
        .order_by()
        .annotate(day=TruncDate("created_at"))
        .values("event_id", "day")
        .annotate(n=Count("pk"))
        .order_by("event_id", "day")
    ):
        editions[row["event_id"]].per_day.append((row["day"], row["n"]))
    return list(editions.values())


def dashboard_past(*, today: datetime.date | None = None, limit: int = 10) -> list[PastEdition]:
    """Return the latest finished editions with what the data adds up to."""
    # order_by() drops the models' default ordering, which would split the GROUP BY.
    approved = (
        Participation.objects.approved().filter(event=OuterRef("pk")).order_by().values("event")
    )
    agreements = Agreement.objects.filter(event=OuterRef("pk")).order_by().values("event")
    events = Event.objects.past(today=today).annotate(
        institutions=Subquery(approved.annotate(n=Count("pk")).values("n")),
        delegates=Subquery(approved.annotate(n=Sum("delegates")).values("n")),
        agreement_count=Subquery(agreements.annotate(n=Count("pk")).values("n")),
        amount=Subquery(agreements.annotate(n=Sum("amount_yuan")).values("n")),
    )[:limit]
    return [
        PastEdition(
            event=event,
            institutions=event.institutions or 0,
            delegates=event.delegates or 0,
            agreements=event.agreement_count or 0,
            amount=event.amount,
        )
        for event in events
    ]
