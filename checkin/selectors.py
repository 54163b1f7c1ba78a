"""Reads of check-in: a scan's answer as the scan page shows it, delegates found by hand, and
the arrivals of an edition for the live view. Constant query counts."""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from events.models import Event
from registrations.models import Delegate, Participation

from .models import CheckinList, Entrance, Scan

Reason = Scan.Reason


def scan_answer(scan: Scan) -> dict:
    """What the scan page shows: green or red, the reason in words, whose badge it was."""
    answer = {
        "admitted": scan.admitted,
        "reason": scan.reason,
        "title": str(Reason(scan.reason).label),
        "message": "",
        "name": "",
        "institution": "",
        "position": "",
        "category": "",
        "scan": scan.pk,
    }
    # The scan service loads the delegate with registration and institution.
    delegate = scan.delegate if scan.delegate_id else None
    if delegate is not None:
        answer.update(
            name=delegate.name,
            institution=delegate.participation.organization.name,
            position=delegate.position,
            category=str(delegate.get_category_display()),
        )
    if scan.reason == Reason.ALREADY_ADMITTED:
        first = getattr(scan, "previous", None) or (
            Scan.objects.filter(
                checkin_list_id=scan.checkin_list_id,
                delegate_id=scan.delegate_id,
                reason=Reason.ADMITTED,
            )
            .select_related("entrance")
            .first()
        )
        if first is not None:
            answer["message"] = _("Admitted at %(time)s at %(entrance)s by device %(device)s.") % {
                "time": formats.time_format(timezone.localtime(first.scanned_at), "H:i:s"),
                "entrance": first.entrance.name,
                "device": first.device or "-",
            }
    elif scan.reason == Reason.NOT_ALLOWED:
        answer["message"] = _("This badge is not for this entrance's list.")
    elif scan.reason == Reason.FORGED:
        answer["message"] = _("The code's signature is wrong: this badge was not made by us.")
    elif scan.reason == Reason.REVOKED:
        answer["message"] = _("A newer badge was issued for this delegate.")
    elif scan.reason == Reason.CANCELLED:
        answer["message"] = _("The registration was cancelled or rejected.")
    elif scan.reason == Reason.NOT_APPROVED:
        answer["message"] = _("The registration is not approved.")
    elif scan.reason == Reason.UNKNOWN:
        answer["message"] = _("Not a badge of this edition.")
    return answer


_DIGITS = re.compile(r"^[0-9]{3,}$")


def delegates_search(*, event_id: int, query: str, limit: int = 20) -> QuerySet[Delegate]:
    """Delegates of an edition by name (Chinese or English), institution, or the last digits
    of their mobile number (three or more digits). Approved or not: the answer says."""
    query = query.strip()[:100]
    if not query:
        return Delegate.objects.none()
    if _DIGITS.match(query):
        match = Q(mobile__endswith=query)
        # Numbers are stored as typed: "+86 138 0013 8000" ends in "8000", but "0013 8000"
        # would not match "00138000" without the spaces.
        match |= Q(mobile__endswith=f"{query[:-4]} {query[-4:]}") if len(query) > 4 else Q()
    else:
        match = (
            Q(name_zh__icontains=query)
            | Q(name_en__icontains=query)
            | Q(participation__organization__name_en__icontains=query)
            | Q(participation__organization__name_zh_hans__icontains=query)
        )
    return (
        Delegate.objects.filter(match, participation__event_id=event_id)
        .select_related("participation__organization")
        .order_by("name_en", "name_zh", "pk")[:limit]
    )


def admissions(*, event: Event) -> QuerySet[Scan]:
    """Every admission of an edition, first first, for the export."""
    return (
        Scan.objects.filter(checkin_list__event=event, reason=Reason.ADMITTED)
        .select_related("entrance", "checkin_list__venue", "delegate__participation__organization")
        .order_by("scanned_at", "pk")
    )


@dataclass
class Arrivals:
    """Arrivals of an edition: per entrance and per sub-venue list, in time buckets."""

    buckets: list[datetime.datetime]
    per_entrance: list[tuple[Entrance, list[int], int]]
    per_list: list[tuple[CheckinList, list[int], int, int]]
    refused: int
    expected: int
    arrived: int
    missing_protocol: list[Delegate] = field(default_factory=list)


def arrivals(*, event: Event, bucket_minutes: int = 15) -> Arrivals:
    """Admissions counted per entrance and list in ``bucket_minutes`` slices; officials and
    VIPs of approved registrations not admitted anywhere yet. Six queries."""
    entrances = list(
        Entrance.objects.filter(checkin_list__event=event).select_related("checkin_list__venue")
    )
    lists = list(CheckinList.objects.filter(event=event).select_related("venue"))
    rows = list(
        Scan.objects.filter(checkin_list__event=event)
        .values_list("entrance_id", "checkin_list_id", "reason", "scanned_at", "delegate_id")
        .order_by("scanned_at")
    )
    admitted = [row for row in rows if row[2] == Reason.ADMITTED]
    step = datetime.timedelta(minutes=bucket_minutes)
    buckets: list[datetime.datetime] = []
    if admitted:
        first = timezone.localtime(admitted[0][3]).replace(second=0, microsecond=0)
        first -= datetime.timedelta(minutes=first.minute % bucket_minutes)
        last = timezone.localtime(admitted[-1][3])
        moment = first
        while moment <= last:
            buckets.append(moment)
            moment += step
    by_entrance: dict[int, list[int]] = defaultdict(lambda: [0] * len(buckets))
    by_list: dict[int, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for entrance_id, list_id, _reason, scanned_at, _delegate in admitted:
        index = int((scanned_at - buckets[0]) / step)
        by_entrance[entrance_id][index] += 1
        by_list[list_id][index] += 1
    approved = Delegate.objects.filter(
        participation__event=event, participation__status=Participation.Status.APPROVED
    )
    total = approved.count()
    expected_by_venue = dict(
        approved.filter(venues__isnull=False)
        .values_list("venues")
        .annotate(n=Count("pk"))
        .order_by()
    )
    arrived_ids = Scan.objects.filter(checkin_list__event=event, reason=Reason.ADMITTED).values(
        "delegate_id"
    )
    missing = list(
        approved.filter(category__in=Delegate.PROTOCOL)
        .exclude(pk__in=arrived_ids)
        .select_related("participation__organization")
        .order_by("category", "participation__organization__name_en", "order", "pk")
    )
    return Arrivals(
        buckets=buckets,
        per_entrance=[
            (entrance, by_entrance[entrance.pk], sum(by_entrance[entrance.pk]))
            for entrance in entrances
        ],
        per_list=[
            (
                lst,
                by_list[lst.pk],
                sum(by_list[lst.pk]),
                total if lst.venue_id is None else expected_by_venue.get(lst.venue_id, 0),
            )
            for lst in lists
        ],
        refused=len(rows) - len(admitted),
        expected=total,
        arrived=len({row[4] for row in admitted}),
        missing_protocol=missing,
    )


def badge_delegates(
    *,
    event: Event,
    status: str | None = Participation.Status.APPROVED,
    venue_id: int | None = None,
    kind: str | None = None,
    category: str | None = None,
) -> QuerySet[Delegate]:
    """Delegates of an edition whose badges are printed, by institution then order; filtered by
    the registration's status, a sub-venue attended, the institution's kind, the category."""
    delegates = Delegate.objects.filter(participation__event=event)
    if status:
        delegates = delegates.filter(participation__status=status)
    if venue_id:
        delegates = delegates.filter(venues__pk=venue_id)
    if kind:
        delegates = delegates.filter(participation__organization__kind=kind)
    if category:
        delegates = delegates.filter(category=category)
    return (
        delegates.select_related("participation__organization")
        .prefetch_related("venues")
        .order_by("participation__organization__name_en", "participation_id", "order", "pk")
    )
