"""Reads of registrations: places used and free, what editions add up to, who may be named.

Capacity is counted in delegates of approved registrations: for the edition as a whole, and for
each sub-venue among the registrations that chose it. This module is the one place that counts
them; the workflows, the public form and the staff pages all read it.

It is also the one home of two rules every audience shares (the public pages, the API, the
open-data dump): which institutions the public may see named (``organization_public_q``), and
what a series' editions add up to from the data (``series_outcomes``: computed figures, as
opposed to the key figures organizers reported).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from events.models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Series,
    SessionSpeaker,
    Venue,
)
from organizations.models import Organization

from .models import Participation


@dataclass(frozen=True)
class Usage:
    """Places used and free, for an edition (venue None) or one of its sub-venues."""

    venue: Venue | None
    capacity: int | None
    used: int

    @property
    def name(self) -> str:
        return "" if self.venue is None else self.venue.name

    @property
    def free(self) -> int | None:
        """Places left; None when there is no limit."""
        return None if self.capacity is None else max(self.capacity - self.used, 0)

    @property
    def full(self) -> bool:
        return self.capacity is not None and self.used >= self.capacity


def sub_venues_with_usage(*, events: Iterable[Event]) -> QuerySet[Venue]:
    """Sub-venues of the editions, annotated with ``used``: delegates approved for each."""
    approved = Q(participations__status=Participation.Status.APPROVED)
    return Venue.objects.filter(event__in=events, kind=Venue.Kind.SUB).annotate(
        used=Coalesce(Sum("participations__delegates", filter=approved), 0)
    )


def places_usage(*, events: Iterable[Event]) -> dict[int, list[Usage]]:
    """Return, per edition id, its own usage first, then each sub-venue's in the venues' order.

    Two queries, however many editions.
    """
    events = list(events)
    used = dict(
        Participation.objects.approved()
        .filter(event__in=events)
        .order_by()
        .values_list("event_id")
        .annotate(total=Sum("delegates"))
    )
    usage = {
        event.pk: [Usage(venue=None, capacity=event.capacity, used=used.get(event.pk, 0))]
        for event in events
    }
    for venue in sub_venues_with_usage(events=events):
        usage[venue.event_id].append(Usage(venue=venue, capacity=venue.capacity, used=venue.used))
    return usage


def capacity_usage(*, event: Event) -> list[Usage]:
    """Return the edition's usage first, then each sub-venue's, in the venues' order."""
    return places_usage(events=[event])[event.pk]


def registrations_by_status(*, events: Iterable[Event]) -> dict[int, dict[str, int]]:
    """Return, per edition id, how many registrations it has in each status."""
    counts: dict[int, dict[str, int]] = {}
    for event_id, status, count in (
        Participation.objects.filter(event__in=list(events))
        .order_by()
        .values_list("event_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(event_id, {})[status] = count
    return counts


# --- institutions the public may see named ---------------------------------------------------


def organization_public_q() -> Q:
    """Institutions the public pages may name: those with a public role somewhere.

    An institution that only registered, without consenting to be listed, stays out.
    """
    org = OuterRef("pk")
    return (
        Q(Exists(Participation.objects.public().filter(organization=org)))
        | Q(Exists(EventHost.objects.filter(organization=org, event__is_published=True)))
        | Q(
            Exists(
                AgreementParty.objects.filter(organization=org).filter(
                    Agreement.published_q("agreement__")
                )
            )
        )
        | Q(Exists(Series.objects.filter(organizer=org)))
        | Q(Exists(KeyFigure.objects.filter(organization=org)))
        | Q(
            Exists(
                SessionSpeaker.objects.filter(
                    person__organization=org, session__event__is_published=True
                )
            )
        )
        | Q(Exists(Organization.objects.filter(parent=org)))
    )


def organization_public() -> QuerySet[Organization]:
    """Institutions the public may see named (``organization_public_q``, stored on each row as
    ``is_public`` by registrations.public)."""
    return Organization.objects.filter(is_public=True)


# --- what a series adds up to (computed figures) ---------------------------------------------


@dataclass
class EditionRow:
    event: Event
    institutions: int
    agreements: int
    amount: Decimal | None  # None: no agreement of the edition states an amount
    running_institutions: int
    running_agreements: int
    running_amount: Decimal | None


@dataclass(frozen=True)
class EditionOutcome:
    """What one edition adds up to: distinct approved institutions, agreements, amounts."""

    institutions: int
    agreements: int
    amount: Decimal | None  # None: no agreement of the edition states an amount


def edition_outcomes(*, event_ids: Iterable[int]) -> dict[int, EditionOutcome]:
    """Return, per edition id, what it adds up to (two queries, however many editions).

    Institutions are distinct approved participants (listed or not: a count names
    nobody); agreements and amounts are those signed at the edition.
    """
    ids = list(event_ids)
    per_event = dict(
        Participation.objects.approved()
        .filter(event_id__in=ids)
        .order_by()
        .values_list("event_id")
        .annotate(n=Count("organization_id", distinct=True))
    )
    deals = {
        row["event_id"]: row
        for row in Agreement.objects.filter(event_id__in=ids)
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"), total=Sum("amount_yuan"))
    }
    return {
        pk: EditionOutcome(
            institutions=per_event.get(pk, 0),
            agreements=deals.get(pk, {}).get("n", 0),
            amount=deals.get(pk, {}).get("total"),
        )
        for pk in ids
    }


@dataclass
class SeriesTotals:
    institutions: int
    agreements: int
    amount: Decimal | None
    rows: list[EditionRow]

    @property
    def editions(self) -> int:
        return len(self.rows)

    @property
    def editions_with_institutions(self) -> int:
        """Editions whose approved participants are recorded here: the rest count as unknown."""
        return sum(1 for row in self.rows if row.institutions)

    @property
    def editions_with_agreements(self) -> int:
        return sum(1 for row in self.rows if row.agreements)


def series_outcomes(*, series: Series, include_drafts: bool = False) -> SeriesTotals:
    """Compute, from the data, what each edition (``edition_outcomes``) and the series so far
    add up to."""
    events = Event.objects.filter(series=series)
    if not include_drafts:
        events = events.published()
    events = list(events.order_by("start_date", "pk"))
    ids = [e.pk for e in events]
    outcomes = edition_outcomes(event_ids=ids)
    approved = Participation.objects.approved().filter(event_id__in=ids)
    # The edition at which each institution first took part, for the running total.
    first_seen = (
        approved.values("organization_id").annotate(first=Min("event__start_date")).values("first")
    )
    firsts: dict[datetime.date, int] = {}
    for day in first_seen.values_list("first", flat=True):
        firsts[day] = firsts.get(day, 0) + 1

    rows: list[EditionRow] = []
    agreements = 0
    amount: Decimal | None = None  # None until some agreement states an amount
    for event in events:
        seen = sum(n for day, n in firsts.items() if day <= event.start_date)
        outcome = outcomes[event.pk]
        agreements += outcome.agreements
        if outcome.amount is not None:
            amount = (amount or Decimal(0)) + outcome.amount
        rows.append(
            EditionRow(
                event=event,
                institutions=outcome.institutions,
                agreements=outcome.agreements,
                amount=outcome.amount,
                running_institutions=seen,
                running_agreements=agreements,
                running_amount=amount,
            )
        )
    return SeriesTotals(
        institutions=sum(firsts.values()), agreements=agreements, amount=amount, rows=rows
    )


def staff_message_recipients(
    *, event: Event, statuses: Iterable[str], venues: Iterable[Venue] = ()
) -> QuerySet[Participation]:
    """Registrations of the edition with these statuses (and, if any, one of the sub-venues)."""
    recipients = Participation.objects.filter(event=event, status__in=list(statuses))
    venue_ids = [venue.pk for venue in venues]
    if venue_ids:
        recipients = recipients.filter(
            pk__in=Participation.objects.filter(venues__in=venue_ids).values("pk")
        )
    return recipients.order_by("pk")
