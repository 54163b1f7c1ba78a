"""Reads of registrations: places used and free, per edition and per sub-venue.

Capacity is counted in delegates of approved registrations: for the edition as a whole, and for
each sub-venue among the registrations that chose it. This module is the one place that counts
them; the workflows, the public form and the staff pages all read it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from events.models import Event, Venue

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
