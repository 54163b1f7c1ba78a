"""Reads of meetings: a registration's agenda and requests, the profiles it may browse, the
free slots of a pair, the staff's figures, what a registrant's data export holds."""

from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from modeltranslation.utils import build_localized_fieldname

from events.models import Agreement, Event, Series
from registrations.models import Delegate, Participation

from .emails import emails_to
from .models import (
    Meeting,
    MeetingPreference,
    MeetingProfile,
    MeetingSeat,
    MeetingSlot,
    MeetingTable,
)


def _with_sides(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "slot__round__venue",
        "table",
        "requester__participation__organization",
        "invitee__participation__organization",
    )


def _annotate(meetings, participation: Participation) -> list[Meeting]:
    for meeting in meetings:
        ours_requested = meeting.requester.participation_id == participation.pk
        meeting.ours = meeting.requester if ours_requested else meeting.invitee
        meeting.theirs = meeting.invitee if ours_requested else meeting.requester
        meeting.we_requested = ours_requested
    return meetings


def agenda(*, participation: Participation) -> list[Meeting]:
    """The registration's confirmed meetings (and those held or missed), by time."""
    meetings = _with_sides(
        Meeting.objects.agreed().of_participation(participation).order_by("slot__starts_at", "pk")
    )
    return _annotate(list(meetings), participation)


def requests(*, participation: Participation) -> tuple[list[Meeting], list[Meeting]]:
    """Pending requests the registration received and those it sent."""
    pending = _annotate(
        list(
            _with_sides(
                Meeting.objects.filter(status=Meeting.Status.PENDING)
                .of_participation(participation)
                .order_by("slot__starts_at", "pk")
            )
        ),
        participation,
    )
    received = [meeting for meeting in pending if not meeting.we_requested]
    sent = [meeting for meeting in pending if meeting.we_requested]
    return received, sent


def past_meetings(*, participation: Participation, limit: int = 50) -> list[Meeting]:
    """Declined, expired and cancelled meetings, latest first."""
    meetings = _with_sides(
        Meeting.objects.of_participation(participation)
        .filter(
            status__in=[Meeting.Status.DECLINED, Meeting.Status.EXPIRED, Meeting.Status.CANCELLED]
        )
        .order_by("-updated_at", "-pk")[:limit]
    )
    return _annotate(list(meetings), participation)


def profiles_to_browse(
    *,
    participation: Participation,
    side: str,
    sector: str = "",
    stage: str = "",
    amount: Decimal | None = None,
    query: str = "",
) -> QuerySet[MeetingProfile]:
    """Visible profiles of the other side in the same edition, filtered."""
    profiles = (
        MeetingProfile.objects.visible()
        .filter(participation__event_id=participation.event_id, side=side)
        .exclude(participation=participation)
        .select_related("participation__organization")
        .prefetch_related(
            Prefetch("delegates", queryset=Delegate.objects.order_by("order", "pk")),
            Prefetch(
                "participation__delegate_list", queryset=Delegate.objects.order_by("order", "pk")
            ),
        )
        .order_by("participation__organization__name", "pk")
    )
    if sector:
        profiles = profiles.filter(sectors__contains=f",{sector},")
    if stage:
        profiles = profiles.filter(stages__contains=f",{stage},")
    if amount is not None:
        if side == MeetingProfile.Side.INVESTOR:
            profiles = profiles.filter(
                Q(ticket_min_yuan__isnull=True) | Q(ticket_min_yuan__lte=amount),
                Q(ticket_max_yuan__isnull=True) | Q(ticket_max_yuan__gte=amount),
            )
        else:
            profiles = profiles.filter(amount_sought_yuan__lte=amount)
    if query:
        profiles = profiles.filter(
            Q(participation__organization__name__icontains=query)
            | Q(participation__institution_name_given__icontains=query)
            | Q(pitch_en__icontains=query)
            | Q(pitch_zh_hans__icontains=query)
        )
    return profiles


def engaged_with(*, participation: Participation) -> set[int]:
    """Registrations with which this one has a meeting or a pending request (or a draft)."""
    engaged = set()
    for requester, invitee in (
        Meeting.objects.holding()
        .of_participation(participation)
        .values_list("requester__participation", "invitee__participation")
    ):
        engaged.update((requester, invitee))
    engaged.discard(participation.pk)
    return engaged


def event_slots(*, event: Event) -> list[MeetingSlot]:
    return list(
        MeetingSlot.objects.filter(round__event=event)
        .select_related("round__venue")
        .order_by("starts_at", "round__venue__order", "pk")
    )


def taken_slots(*, delegates) -> set[int]:
    """Slots in which any of these delegates already has a seat."""
    return set(MeetingSeat.objects.filter(delegate__in=delegates).values_list("slot", flat=True))


def edition_stats(*, event: Event) -> dict:
    """What the staff's meetings page shows: requests, answers, meetings per slot and table."""
    by_status = dict(
        Meeting.objects.filter(event=event)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    status = Meeting.Status
    requested = Meeting.objects.filter(event=event, source=Meeting.Source.REQUEST)
    answered = requested.filter(
        status__in=[status.ACCEPTED, status.HELD, status.NO_SHOW, status.DECLINED]
    ).count()
    accepted = requested.filter(status__in=Meeting.AGREED).count()
    per_slot = list(
        MeetingSlot.objects.filter(round__event=event)
        .select_related("round__venue")
        .annotate(
            confirmed=Count("meetings", filter=Q(meetings__status__in=Meeting.AGREED)),
            drafts=Count("meetings", filter=Q(meetings__status=status.DRAFT)),
        )
        .order_by("starts_at", "pk")
    )
    per_table = list(
        MeetingTable.objects.filter(round__event=event)
        .select_related("round__venue")
        .annotate(confirmed=Count("meetings", filter=Q(meetings__status__in=Meeting.AGREED)))
        .filter(confirmed__gt=0)
        .order_by("round__starts_at", "round", "number")
    )
    agreed = sum(by_status.get(code, 0) for code in Meeting.AGREED)
    return {
        "by_status": [(label, by_status.get(code, 0)) for code, label in status.choices],
        "requests": requested.count(),
        "answered": answered,
        "accepted": accepted,
        "acceptance_rate": (accepted / answered) if answered else None,
        "agreed": agreed,
        "no_shows": by_status.get(status.NO_SHOW, 0),
        "held": by_status.get(status.HELD, 0),
        "per_slot": per_slot,
        "per_table": per_table,
        "agreements": Meeting.objects.filter(event=event, agreement__isnull=False)
        .values("agreement")
        .distinct()
        .count(),
    }


def agreements_from_meetings(*, agreements: QuerySet[Agreement]) -> int:
    """How many of ``agreements`` came out of a meeting (a meeting is linked to them)."""
    return agreements.filter(meetings__isnull=False).distinct().count()


def series_agreements_from_meetings(*, series: Series) -> int:
    """How many agreements of a series came out of meetings at its editions."""
    return (
        Meeting.objects.filter(event__series=series, agreement__isnull=False)
        .values("agreement")
        .distinct()
        .count()
    )


def personal_data(*, participation: Participation) -> dict:
    """What meetings store about a registration, for its registrant's data export: its profile,
    every meeting and request it took part in (with the message sent with it), whom it wished
    to meet and the e-mails about meetings sent to its contact person. Of the other side only
    the institution's name, as the meetings page shows it.
    Datetimes stay datetimes; the JSON download writes them as ISO text."""
    profile = (
        MeetingProfile.objects.filter(participation=participation)
        .prefetch_related(Prefetch("delegates", queryset=Delegate.objects.order_by("order", "pk")))
        .first()
    )
    meetings = _annotate(
        list(
            _with_sides(
                Meeting.objects.of_participation(participation).order_by("slot__starts_at", "pk")
            )
        ),
        participation,
    )
    preferences = (
        MeetingPreference.objects.filter(participation=participation)
        .select_related("target__organization")
        .order_by("created_at", "pk")
    )
    return {
        "profile": _profile_data(profile) if profile is not None else None,
        "meetings": [_meeting_data(meeting) for meeting in meetings],
        "preferences": [
            {"institution": preference.target.institution_name, "level": preference.level}
            for preference in preferences
        ],
        "emails_sent": [
            {"at": email.created_at, "subject": email.subject, "to": email.to}
            for email in emails_to(participation.contact_email).order_by("created_at", "pk")
        ],
    }


def _profile_data(profile: MeetingProfile) -> dict:
    def each_language(field: str) -> dict[str, str]:
        texts = {
            code: getattr(profile, build_localized_fieldname(field, code))
            for code, _name in settings.LANGUAGES
        }
        return {code: text for code, text in texts.items() if text}

    return {
        "side": profile.side,
        "sectors": profile.sector_list,
        "stages": profile.stage_list,
        "ticket_min_yuan": profile.ticket_min_yuan,
        "ticket_max_yuan": profile.ticket_max_yuan,
        "amount_sought_yuan": profile.amount_sought_yuan,
        "regions": each_language("regions"),
        "pitch": each_language("pitch"),
        "delegates": [delegate.name for delegate in profile.delegates.all()],
        "hidden_by_staff": profile.is_hidden,
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def _meeting_data(meeting: Meeting) -> dict:
    if meeting.source != Meeting.Source.REQUEST:
        request = None
    else:
        request = "sent" if meeting.we_requested else "received"
    return {
        "starts_at": meeting.slot.starts_at,
        "ends_at": meeting.slot.ends_at,
        "venue": str(meeting.slot.round.venue.name),
        "table": meeting.table.number if meeting.table is not None else None,
        "status": meeting.status,
        "source": meeting.source,
        "request": request,
        "delegate": meeting.ours.name,
        "counterpart_institution": meeting.theirs.participation.institution_name,
        "message": meeting.message,
        "created_at": meeting.created_at,
        "answered_at": meeting.answered_at,
    }
