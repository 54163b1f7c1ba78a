"""Meeting workflows: profiles, rounds, requests and answers, cancellations, outcomes, the
generated schedule.

Double booking is prevented in two layers. The services lock the rows a decision depends on
(``SELECT ... FOR UPDATE``): a request locks both delegates' rows (in the order of their keys),
an acceptance locks the meeting, then its slot, so two acceptances in one slot pick tables one
after the other. Behind them, the database refuses a second seat of a delegate in a slot
(``MeetingSeat``) and a second holding meeting at a table in a slot (``Meeting``'s partial
unique constraint); a violation that slips past the locks becomes a ``MeetingError``.

Every change of a meeting's status goes through this module, inside ``transaction.atomic()``,
saved with ``update_fields``; e-mails to both sides are queued in the same transaction.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from events.models import Agreement, Event
from outbox.jobs import job_is_under_way, job_start
from outbox.models import StaffJob
from registrations.models import Delegate, Participation

from . import emails
from .models import (
    Meeting,
    MeetingPreference,
    MeetingProfile,
    MeetingRound,
    MeetingSeat,
    MeetingSettings,
    MeetingSlot,
    MeetingTable,
    ScheduleRun,
)

Status = Meeting.Status


class MeetingError(Exception):
    """A meeting workflow refused: the message is for the person who tried."""


def settings_for(*, event: Event) -> MeetingSettings:
    """Return the edition's meeting settings, created with defaults on first use."""
    meeting_settings, _created = MeetingSettings.objects.get_or_create(event=event)
    return meeting_settings


# Rounds -------------------------------------------------------------------------------------


@transaction.atomic
def round_generate(*, meeting_round: MeetingRound) -> tuple[int, int]:
    """Create the round's slots and tables that its times and table count give.

    Existing slots and tables are kept; those the round no longer gives are deleted when no
    meeting uses them. Return the number of slots and tables created.
    """
    meeting_round = MeetingRound.objects.select_for_update().get(pk=meeting_round.pk)
    wanted = meeting_round.slot_times()
    existing = {slot.starts_at: slot for slot in meeting_round.slots.all()}
    new_slots = [
        MeetingSlot(round=meeting_round, starts_at=start, ends_at=end)
        for start, end in wanted
        if start not in existing
    ]
    for start, end in wanted:
        slot = existing.get(start)
        if slot is not None and slot.ends_at != end:
            slot.ends_at = end
            slot.save(update_fields=["ends_at"])
    starts = {start for start, _end in wanted}
    meeting_round.slots.exclude(starts_at__in=starts).filter(meetings__isnull=True).delete()
    MeetingSlot.objects.bulk_create(new_slots)
    numbers = set(meeting_round.table_set.values_list("number", flat=True))
    new_tables = [
        MeetingTable(round=meeting_round, number=number)
        for number in range(1, meeting_round.tables + 1)
        if number not in numbers
    ]
    MeetingTable.objects.bulk_create(new_tables)
    meeting_round.table_set.filter(number__gt=meeting_round.tables, meetings__isnull=True).delete()
    return len(new_slots), len(new_tables)


# Profiles -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    side: str
    sectors: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    ticket_min_yuan: Decimal | None = None
    ticket_max_yuan: Decimal | None = None
    amount_sought_yuan: Decimal | None = None
    regions_en: str = ""
    regions_zh_hans: str = ""
    pitch_en: str = ""
    pitch_zh_hans: str = ""
    delegates: tuple[Delegate, ...] = ()


@transaction.atomic
def profile_save(*, participation: Participation, data: ProfileData) -> MeetingProfile:
    """Create or update a registration's meeting profile (only an approved one takes meetings
    once the edition's staff approve it; a profile may be written before)."""
    if participation.status not in (Participation.Status.APPROVED, Participation.Status.PENDING):
        raise MeetingError(_("This registration cannot take meetings."))
    if any(delegate.participation_id != participation.pk for delegate in data.delegates):
        raise MeetingError(_("Choose delegates of this registration."))
    profile = MeetingProfile.objects.filter(participation=participation).first()
    if profile is not None and profile.side != data.side and _holding_of(participation).exists():
        raise MeetingError(
            _("Cancel your meetings and requests before changing the side you meet as.")
        )
    investor = data.side == MeetingProfile.Side.INVESTOR
    fields = {
        "side": data.side,
        "sectors": MeetingProfile.join_codes(data.sectors),
        "stages": MeetingProfile.join_codes(data.stages),
        "ticket_min_yuan": data.ticket_min_yuan if investor else None,
        "ticket_max_yuan": data.ticket_max_yuan if investor else None,
        "amount_sought_yuan": None if investor else data.amount_sought_yuan,
        "regions_en": data.regions_en,
        "regions_zh_hans": data.regions_zh_hans,
        "pitch_en": data.pitch_en,
        "pitch_zh_hans": data.pitch_zh_hans,
    }
    if profile is None:
        profile = MeetingProfile.objects.create(participation=participation, **fields)
    else:
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.save(update_fields=[*fields, "updated_at"])
    profile.delegates.set(data.delegates)
    return profile


@transaction.atomic
def profile_set_hidden(*, profile: MeetingProfile, hidden: bool) -> None:
    """Hide a profile from the other side (staff), or show it again; meetings stay."""
    profile.is_hidden = hidden
    profile.save(update_fields=["is_hidden"])


def meeting_delegates(*, participation: Participation) -> list[Delegate]:
    """The delegates of a registration who take meetings: those its profile names, or all."""
    profile = getattr(participation, "meeting_profile", None)
    chosen = list(profile.delegates.all()) if profile is not None else []
    return chosen or list(participation.delegate_list.all())


def _holding_of(participation: Participation):
    return Meeting.objects.holding().of_participation(participation)


# Requests and answers -----------------------------------------------------------------------


def _release(meeting: Meeting, status: str, *, now: datetime.datetime) -> None:
    """Move a holding meeting to a status that lets its slot, seats and table go."""
    meeting.status = status
    fields = ["status", "updated_at"]
    if status in (Status.DECLINED, Status.EXPIRED):
        meeting.answered_at = now
        fields.append("answered_at")
    meeting.save(update_fields=fields)
    MeetingSeat.objects.filter(meeting=meeting).delete()


def _expire_due(*, delegates: Iterable[Delegate], now: datetime.datetime) -> None:
    """Expire the due requests holding these delegates' seats (called under their locks)."""
    due = Meeting.objects.filter(
        status=Status.PENDING,
        expires_at__lte=now,
        seats__delegate__in=list(delegates),
    ).distinct()
    for meeting in due:
        _release(meeting, Status.EXPIRED, now=now)
        emails.meeting_email(meeting=meeting, kind="expired", to_requester=True)


def _check_pair(requester: Delegate, invitee: Delegate) -> tuple[Participation, Participation]:
    ours, theirs = requester.participation, invitee.participation
    if ours.pk == theirs.pk:
        raise MeetingError(_("Choose a delegate of another institution."))
    if ours.event_id != theirs.event_id:
        raise MeetingError(_("Both delegates must take part in the same edition."))
    approved = Participation.Status.APPROVED
    if ours.status != approved or theirs.status != approved:
        raise MeetingError(_("Only approved registrations can take meetings."))
    profiles = MeetingProfile.objects.filter(participation__in=[ours, theirs])
    sides = {profile.participation_id: profile for profile in profiles}
    if ours.pk not in sides:
        raise MeetingError(_("Fill in your meeting profile first."))
    if theirs.pk not in sides or sides[theirs.pk].is_hidden:
        raise MeetingError(_("This institution does not take meetings."))
    if sides[ours.pk].side == sides[theirs.pk].side:
        raise MeetingError(_("Meetings are between an investor and a project."))
    for delegate, participation in ((requester, ours), (invitee, theirs)):
        participation.meeting_profile = sides[participation.pk]
        if delegate not in meeting_delegates(participation=participation):
            raise MeetingError(_("This delegate does not take meetings."))
    return ours, theirs


def _check_seats(
    *, delegates: list[Delegate], slot: MeetingSlot, cap: int, exclude: Meeting | None = None
) -> None:
    # The same slot, or one of another round at the same time: a delegate is in one place.
    taken = MeetingSeat.objects.filter(
        delegate__in=delegates,
        slot__starts_at__lt=slot.ends_at,
        slot__ends_at__gt=slot.starts_at,
    )
    if exclude is not None:
        taken = taken.exclude(meeting=exclude)
    if taken.exists():
        raise MeetingError(_("This slot is no longer free for both delegates: choose another one."))
    counts = dict(
        MeetingSeat.objects.filter(delegate__in=delegates)
        .exclude(meeting=exclude)
        .values_list("delegate")
        .annotate(n=Count("pk"))
        .values_list("delegate", "n")
    )
    for delegate in delegates:
        if counts.get(delegate.pk, 0) >= cap:
            raise MeetingError(
                _("%(name)s already has the most meetings allowed (%(cap)s).")
                % {"name": delegate.name, "cap": cap}
            )


def _lock_delegates(*delegates: Delegate) -> list[Delegate]:
    keys = sorted({delegate.pk for delegate in delegates})
    locked = {
        delegate.pk: delegate
        for delegate in Delegate.objects.select_for_update()
        .select_related("participation__event", "participation__organization")
        .filter(pk__in=keys)
        .order_by("pk")
    }
    return [locked[delegate.pk] for delegate in delegates]


def meeting_request(
    *,
    requester: Delegate,
    invitee: Delegate,
    slot: MeetingSlot,
    message: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Request a meeting in a slot: it holds the slot for both delegates until it is answered
    or expires (the edition's ``hold_hours``)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            requester, invitee = _lock_delegates(requester, invitee)
            ours, theirs = _check_pair(requester, invitee)
            event = ours.event
            meeting_settings = settings_for(event=event)
            if not meeting_settings.requests_open:
                raise MeetingError(_("Meeting requests are closed for this edition."))
            slot = MeetingSlot.objects.select_related("round").get(pk=slot.pk)
            if slot.round.event_id != event.pk:
                raise MeetingError(_("Choose a slot of this edition."))
            if slot.starts_at <= now:
                raise MeetingError(_("This slot has already begun."))
            _expire_due(delegates=[requester, invitee], now=now)
            if (
                Meeting.objects.holding()
                .filter(
                    Q(requester__participation=ours, invitee__participation=theirs)
                    | Q(requester__participation=theirs, invitee__participation=ours)
                )
                .exists()
            ):
                raise MeetingError(
                    _("There is already a meeting or a request between your institutions.")
                )
            _check_seats(
                delegates=[requester, invitee],
                slot=slot,
                cap=meeting_settings.max_meetings_per_delegate,
            )
            expires = min(
                now + datetime.timedelta(hours=meeting_settings.hold_hours), slot.starts_at
            )
            meeting = Meeting.objects.create(
                event=event,
                slot=slot,
                requester=requester,
                invitee=invitee,
                message=message,
                expires_at=expires,
                created_at=now,
            )
            MeetingSeat.objects.bulk_create(
                [
                    MeetingSeat(meeting=meeting, delegate=requester, slot=slot),
                    MeetingSeat(meeting=meeting, delegate=invitee, slot=slot),
                ]
            )
            emails.meeting_email(meeting=meeting, kind="requested", to_requester=False)
    except IntegrityError as error:
        raise MeetingError(
            _("This slot is no longer free for both delegates: choose another one.")
        ) from error
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related(
            "slot__round__venue",
            "requester__participation__event",
            "invitee__participation__event",
        )
        .get(pk=meeting.pk)
    )


def _free_table(slot: MeetingSlot) -> MeetingTable | None:
    used = Meeting.objects.holding().filter(slot=slot, table__isnull=False).values("table")
    return slot.round.table_set.exclude(pk__in=used).order_by("number").first()


def meeting_accept(
    *, meeting: Meeting, participation: Participation, now: datetime.datetime | None = None
) -> Meeting:
    """Accept a request as the invited side: the meeting is confirmed at the first free table
    of its slot, or refused with a message when every table is taken."""
    now = now or timezone.now()
    expired = False
    try:
        with transaction.atomic():
            meeting = _lock_meeting(meeting)
            if meeting.invitee.participation_id != participation.pk:
                raise MeetingError(_("Only the invited institution can accept this request."))
            if meeting.status != Status.PENDING:
                raise MeetingError(_("This request has already been answered or withdrawn."))
            expired = meeting.expires_at is not None and meeting.expires_at <= now
            if expired:
                # Committed (no exception in the block): the request expires either way.
                _release(meeting, Status.EXPIRED, now=now)
                emails.meeting_email(meeting=meeting, kind="expired", to_requester=True)
            else:
                _confirm_at_a_table(meeting, now=now)
    except IntegrityError as error:
        raise MeetingError(_("This table was just taken: please try again.")) from error
    if expired:
        raise MeetingError(_("This request has expired."))
    return meeting


def _confirm_at_a_table(meeting: Meeting, *, now: datetime.datetime) -> None:
    slot = MeetingSlot.objects.select_for_update().select_related("round").get(pk=meeting.slot_id)
    table = _free_table(slot)
    if table is None:
        raise MeetingError(
            _(
                "Every table of this slot is taken, so the meeting cannot be confirmed "
                "in it. Decline the request and ask for another slot."
            )
        )
    meeting.status = Status.ACCEPTED
    meeting.table = table
    meeting.answered_at = now
    meeting.save(update_fields=["status", "table", "answered_at", "updated_at"])
    emails.meeting_email(meeting=meeting, kind="accepted", to_requester=True)


@transaction.atomic
def meeting_decline(
    *, meeting: Meeting, participation: Participation, now: datetime.datetime | None = None
) -> Meeting:
    """Decline a request as the invited side; the slot is free again for both."""
    meeting = _lock_meeting(meeting)
    if meeting.invitee.participation_id != participation.pk:
        raise MeetingError(_("Only the invited institution can decline this request."))
    if meeting.status != Status.PENDING:
        raise MeetingError(_("This request has already been answered or withdrawn."))
    _release(meeting, Status.DECLINED, now=now or timezone.now())
    emails.meeting_email(meeting=meeting, kind="declined", to_requester=True)
    return meeting


@transaction.atomic
def meeting_cancel(
    *,
    meeting: Meeting,
    participation: Participation | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Withdraw a request or cancel a meeting, by either side (or by staff: no participation).

    The other side is told (both sides when staff cancel)."""
    meeting = _lock_meeting(meeting)
    sides = {meeting.requester.participation_id, meeting.invitee.participation_id}
    if participation is not None and participation.pk not in sides:
        raise MeetingError(_("This meeting is not yours."))
    if meeting.status not in (Status.PENDING, Status.ACCEPTED, Status.DRAFT):
        raise MeetingError(_("This meeting can no longer be cancelled."))
    was_draft = meeting.status == Status.DRAFT
    _release(meeting, Status.CANCELLED, now=now or timezone.now())
    if not was_draft:
        if participation is None or participation.pk != meeting.requester.participation_id:
            emails.meeting_email(meeting=meeting, kind="cancelled", to_requester=True)
        if participation is None or participation.pk != meeting.invitee.participation_id:
            emails.meeting_email(meeting=meeting, kind="cancelled", to_requester=False)
    return meeting


@transaction.atomic
def meeting_mark(
    *,
    meeting: Meeting,
    held: bool,
    participation: Participation | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Record that a confirmed meeting was held or that someone did not come (staff, or either
    side once its slot has begun)."""
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    if participation is not None:
        sides = {meeting.requester.participation_id, meeting.invitee.participation_id}
        if participation.pk not in sides:
            raise MeetingError(_("This meeting is not yours."))
        if meeting.slot.starts_at > now:
            raise MeetingError(_("A meeting can be marked once its slot has begun."))
    if meeting.status not in Meeting.AGREED:
        raise MeetingError(_("Only a confirmed meeting can be marked as held or missed."))
    meeting.status = Status.HELD if held else Status.NO_SHOW
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def meeting_link_agreement(*, meeting: Meeting, agreement: Agreement | None) -> Meeting:
    """Record (or clear) the agreement a meeting led to."""
    meeting = _lock_meeting(meeting)
    if agreement is not None and meeting.status not in Meeting.AGREED:
        raise MeetingError(_("Only a confirmed meeting can lead to an agreement."))
    meeting.agreement = agreement
    meeting.save(update_fields=["agreement", "updated_at"])
    return meeting


def meeting_move(*, meeting: Meeting, slot: MeetingSlot, table: MeetingTable | None) -> Meeting:
    """Move a meeting to another slot and table (staff adjusting a draft or a confirmed
    meeting); both sides are told when a confirmed meeting moves."""
    try:
        with transaction.atomic():
            meeting = _lock_meeting(meeting)
            if meeting.status not in (Status.DRAFT, Status.ACCEPTED, Status.PENDING):
                raise MeetingError(_("Only a draft, pending or confirmed meeting can be moved."))
            requester, invitee = _lock_delegates(meeting.requester, meeting.invitee)
            slot = MeetingSlot.objects.select_for_update().select_related("round").get(pk=slot.pk)
            if slot.round.event_id != meeting.event_id:
                raise MeetingError(_("Choose a slot of this edition."))
            if table is not None and table.round_id != slot.round_id:
                raise MeetingError(_("Choose a table of the slot's round."))
            cap = settings_for(event=meeting.event).max_meetings_per_delegate
            _check_seats(delegates=[requester, invitee], slot=slot, cap=cap + 1, exclude=meeting)
            if table is None and meeting.status != Status.PENDING:
                table = _free_table(slot) if slot.pk != meeting.slot_id else meeting.table
                if table is None:
                    raise MeetingError(_("Every table of this slot is taken."))
            changed = (meeting.slot_id, meeting.table_id) != (slot.pk, table and table.pk)
            meeting.slot, meeting.table = slot, table
            meeting.save(update_fields=["slot", "table", "updated_at"])
            MeetingSeat.objects.filter(meeting=meeting).update(slot=slot)
            if changed and meeting.status == Status.ACCEPTED:
                emails.meeting_email(meeting=meeting, kind="changed", to_requester=True)
                emails.meeting_email(meeting=meeting, kind="changed", to_requester=False)
    except IntegrityError as error:
        raise MeetingError(_("This slot or table was just taken: please try again.")) from error
    return meeting


def meetings_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire every request whose hold has run out (a timer runs it); return how many."""
    now = now or timezone.now()
    count = 0
    for pk in Meeting.objects.filter(status=Status.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            meeting = _lock_meeting(Meeting(pk=pk))
            if meeting.status != Status.PENDING:
                continue
            _release(meeting, Status.EXPIRED, now=now)
            emails.meeting_email(meeting=meeting, kind="expired", to_requester=True)
            count += 1
    return count


# Preferences and the generated schedule ------------------------------------------------------


@transaction.atomic
def preference_set(
    *, participation: Participation, target: Participation, level: int | None
) -> MeetingPreference | None:
    """Mark whom a registration must or would like to meet (None: no preference)."""
    if target.pk == participation.pk or target.event_id != participation.event_id:
        raise MeetingError(_("Choose another institution of this edition."))
    if level is None:
        MeetingPreference.objects.filter(participation=participation, target=target).delete()
        return None
    if level not in MeetingPreference.Level.values:
        raise MeetingError(_("Choose how much you want this meeting."))
    preference, _created = MeetingPreference.objects.update_or_create(
        participation=participation, target=target, defaults={"level": level}
    )
    return preference


#: The staff job running ``schedule_generate`` (meetings/jobs.py): on a large edition the solver
#: takes longer than a request may.
SCHEDULE_JOB = "meetings.schedule_generate"


def schedule_generate_start(*, event: Event, by: AbstractBaseUser | None) -> tuple[StaffJob, bool]:
    """Queue a staff job generating the edition's draft schedule, unless one is under way for
    it already. Return the job and whether it was started now.

    Two jobs of one edition started at the same instant still do no harm: their runs take the
    settings row's lock (on SQLite the database's write lock) one after the other, and the
    second replaces the first's drafts.
    """
    active = StaffJob.objects.filter(
        kind=SCHEDULE_JOB,
        params__event=event.pk,
        status__in=[StaffJob.Status.QUEUED, StaffJob.Status.RUNNING],
    )
    for job in active:
        if job_is_under_way(job=job):
            return job, False
    job = job_start(
        kind=SCHEDULE_JOB,
        created_by=by,
        title=_("Draft schedule: %(event)s") % {"event": event},
        params={"event": event.pk},
    )
    return job, True


def schedule_generate(
    *, event: Event, by: AbstractBaseUser | None = None, improve: bool = True
) -> ScheduleRun:
    """Replace the edition's draft schedule by a new one made from the preferences.

    Confirmed meetings and pending requests stay as they are and count against the slots and
    caps; the drafts are placed around them. Return the run with its report.
    """
    from .scheduler import problem_from_event, solve

    if not MeetingSlot.objects.filter(round__event=event).exists():
        raise MeetingError(_("This edition has no meeting slots yet: add a meeting round first."))
    with transaction.atomic():
        meeting_settings = MeetingSettings.objects.select_for_update().get(
            pk=settings_for(event=event).pk
        )
        _drafts_delete(event=event)
        problem = problem_from_event(event=event, cap=meeting_settings.max_meetings_per_delegate)
        result = solve(problem, improve=improve)
        drafts = [
            Meeting(
                event=event,
                slot_id=placed.slot,
                table_id=placed.table,
                requester_id=placed.delegate_a,
                invitee_id=placed.delegate_b,
                status=Status.DRAFT,
                source=Meeting.Source.SCHEDULE,
            )
            for placed in result.placed
        ]
        try:
            with transaction.atomic():
                # One version per draft, in one insert: a staff move or the publication then
                # shows what changed. They go with the drafts (_drafts_delete).
                bulk_create_with_history(drafts, Meeting, default_user=by)
                MeetingSeat.objects.bulk_create(
                    [
                        MeetingSeat(meeting=draft, delegate_id=delegate, slot_id=draft.slot_id)
                        for draft in drafts
                        for delegate in (draft.requester_id, draft.invitee_id)
                    ]
                )
        except IntegrityError as error:
            raise MeetingError(
                _("A request was made while the schedule was generated: run it again.")
            ) from error
        return ScheduleRun.objects.create(event=event, created_by=by, report=result.report())


def _drafts_delete(*, event: Event) -> int:
    """Delete the edition's draft meetings with their versions; return how many there were.

    Drafts are the scheduler's scratch, thousands per run, and the ScheduleRun records each run:
    their history is not kept once they are replaced or discarded (and no "deleted" version is
    written for each: backoffice.history.MeetingHistoricalRecords).
    """
    drafts = Meeting.objects.filter(event=event, status=Status.DRAFT)
    Meeting.history.filter(id__in=drafts.values("pk")).delete()
    _total, rows = drafts.delete()
    return rows.get("meetings.Meeting", 0)


@transaction.atomic
def schedule_discard(*, event: Event) -> int:
    """Delete the draft schedule; return how many draft meetings it had."""
    return _drafts_delete(event=event)


@transaction.atomic
def schedule_publish(*, event: Event, now: datetime.datetime | None = None) -> int:
    """Confirm every draft meeting of the edition and tell each registrant their meetings.

    Return how many meetings were published."""
    now = now or timezone.now()
    meeting_settings = MeetingSettings.objects.select_for_update().get(
        pk=settings_for(event=event).pk
    )
    drafts = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(event=event, status=Status.DRAFT)
        .select_related("requester__participation", "invitee__participation")
    )
    for meeting in drafts:
        meeting.status = Status.ACCEPTED
        meeting.answered_at = now
    # One version per published meeting (in one insert), by the staff member publishing.
    bulk_update_with_history(drafts, Meeting, ["status", "answered_at"])
    meeting_settings.schedule_published_at = now
    meeting_settings.save(update_fields=["schedule_published_at"])
    participations = {}
    for meeting in drafts:
        for delegate in (meeting.requester, meeting.invitee):
            participations[delegate.participation_id] = delegate.participation
    for participation in participations.values():
        emails.agenda_email(
            participation=participation,
            kind="scheduled",
            dedupe_key=f"meetings-scheduled:{participation.pk}:{now.isoformat()}",
        )
    return len(drafts)


def agendas_send(*, day: datetime.date) -> int:
    """Queue the agenda e-mail to every registration with confirmed meetings on ``day``
    (Beijing time); once per registration and day. Return how many were queued."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    end = start + datetime.timedelta(days=1)
    keys = set()
    for requester, invitee in (
        Meeting.objects.filter(
            status=Status.ACCEPTED, slot__starts_at__gte=start, slot__starts_at__lt=end
        )
        .values_list("requester__participation", "invitee__participation")
        .distinct()
    ):
        keys.update((requester, invitee))
    queued = 0
    for participation in Participation.objects.filter(
        pk__in=keys, status=Participation.Status.APPROVED
    ).select_related("event", "organization"):
        with transaction.atomic():
            if emails.agenda_email(
                participation=participation,
                kind="reminder",
                dedupe_key=f"meetings-agenda:{participation.pk}:{day.isoformat()}",
                day=day,
            ):
                queued += 1
    return queued
