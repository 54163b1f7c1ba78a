"""Registration workflows: matching, capacity, waiting list, approval modes, status changes.

Every change of a registration's status goes through this module; views, admin actions and
commands call it and repeat none of it. Each workflow is one transaction that first locks the
edition's row (``SELECT ... FOR UPDATE``), then the registration's row: decisions about the places
of one edition are taken one at a time on PostgreSQL, however many app servers run. E-mails are
written to the outbox in the same transaction and so leave, from a worker, only once the change
is stored.

Places are counted by ``selectors.capacity_usage``: delegates of approved registrations, for the
edition and for each sub-venue. A change of capacity from anywhere (the admin, an import, a
history revert, the shell) promotes from the waiting list through ``receivers``.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event, Venue
from organizations.models import Organization
from organizations.services import organization_find_match, organization_unique_slug
from outbox.jobs import job_start
from outbox.models import StaffJob

from .emails import participation_email_queue
from .models import EmailDelivery, Participation, StaffMessage, StatusChange, new_reference
from .selectors import capacity_usage, staff_message_recipients

logger = logging.getLogger(__name__)

Status = Participation.Status


class RegistrationError(Exception):
    """A workflow cannot go ahead; the message is written for the person who asked."""

    field: str | None = None


class RegistrationClosedError(RegistrationError):
    pass


class InvalidVenueError(RegistrationError):
    field = "venues"


class AlreadyRegisteredError(RegistrationError):
    def __init__(self, message: str, *, participation: Participation) -> None:
        super().__init__(message)
        self.participation = participation


class TransitionError(RegistrationError):
    pass


class CapacityError(RegistrationError):
    field = "delegates"


@dataclass(frozen=True)
class RegistrationRequest:
    """What a registration asks for, as the public form or a staff member states it.

    The institution is either ``organization`` (chosen by staff) or described by name, kind,
    USCC, city and website, and then matched to a known institution or created.
    """

    contact_name: str
    contact_email: str
    delegates: int
    contact_position: str = ""
    contact_phone: str = ""
    venues: tuple[Venue, ...] = ()
    listed_publicly: bool = False
    language: str = "en"
    organization: Organization | None = None
    institution_name: str = ""
    institution_kind: str = Organization.Kind.OTHER
    uscc: str = ""
    city: str = ""
    website: str = ""

    #: The fields stored on the registration's own row.
    participation_field_names = (
        "contact_name",
        "contact_position",
        "contact_email",
        "contact_phone",
        "delegates",
        "listed_publicly",
        "language",
    )

    def participation_fields(self) -> dict:
        return {name: getattr(self, name) for name in self.participation_field_names}


# Reads used by the workflows and by the admin


def participation_growth_problems(
    *, participation: Participation, delegates: int, venues: Iterable[Venue]
) -> list[str]:
    """Return why an approved registration cannot grow to ``delegates`` in ``venues``.

    Only what it would take beyond the places it holds counts: more delegates, or a sub-venue
    it had not chosen. So a registration keeps its places after a capacity was lowered, and
    its contact details can still be corrected.
    """
    if participation.status != Status.APPROVED:
        return []
    places = _FreePlaces(participation.event)
    held = set(participation.venues.values_list("pk", flat=True))
    extra = max(delegates - participation.delegates, 0)
    problems = []
    if places.edition is not None and extra > places.edition:
        problems.append(
            _("The edition has %(free)d places free, %(needed)d more are needed.")
            % {"free": places.edition, "needed": extra}
        )
    for venue in venues:
        needed = extra if venue.pk in held else delegates
        free = places.venues.get(venue.pk)
        if free is not None and needed > free:
            problems.append(
                _("%(venue)s has %(free)d places free, %(needed)d more are needed.")
                % {"venue": venue.name, "free": free, "needed": needed}
            )
    return problems


# Workflows


def participation_register(
    *, event: Event, request: RegistrationRequest, by: AbstractBaseUser | None = None
) -> Participation:
    """Register an institution for an edition, through the public form or by staff (``by``).

    Reuse the matching institution or create one. Refuse a second registration of the same
    institution for the edition, unless the first was cancelled: then its row is renewed. In
    the automatic approval mode, confirm the registration when places remain and wait-list it
    otherwise; in the review mode it stays pending. The receipt e-mail, sent after commit,
    states the resulting status. Staff may register outside the registration window.
    """
    with transaction.atomic():
        event = _lock_event(event.pk)
        if by is None and (
            not event.is_published or event.registration_state() != Event.RegistrationState.OPEN
        ):
            raise RegistrationClosedError(_("Registration for this edition is not open."))
        venue_ids = {venue.pk for venue in request.venues}
        valid_venues = list(
            Venue.objects.filter(event=event, kind=Venue.Kind.SUB, pk__in=venue_ids)
        )
        if len(valid_venues) != len(venue_ids):
            raise InvalidVenueError(_("Choose only sub-venues of this edition."))

        # Under the edition's lock: two registrations of one new institution make one row.
        if request.organization is not None:
            organization, matched_by = request.organization, Participation.Match.STAFF
        else:
            organization, matched_by = _organization_find_or_create(request)
        details = {
            **request.participation_fields(),
            "institution_name_given": request.institution_name,
            "matched_by": matched_by,
        }
        existing = (
            Participation.objects.select_for_update()
            .filter(event=event, organization=organization, contested=False)
            .first()
        )
        contested = False
        if existing is None:
            participation = Participation.objects.create(
                event=event, organization=organization, status=Status.PENDING, **details
            )
            old_status = ""
        elif existing.status == Status.CANCELLED:
            participation = _participation_renew(existing, details)
            old_status = Status.CANCELLED
        elif by is None and _another_contact(existing, request):
            # Someone else already registered this institution (or used its name or code):
            # this one is kept too, for staff to decide, and says nothing of the other.
            contested = True
            participation = Participation.objects.create(
                event=event,
                organization=organization,
                status=Status.PENDING,
                contested=True,
                **details,
            )
            old_status = ""
        else:
            # The message does not echo the stored name: a USCC alone should not reveal it.
            raise AlreadyRegisteredError(
                _("This institution is already registered for this edition."),
                participation=existing,
            )
        participation.venues.set(valid_venues)
        cause = StatusChange.Cause.REGISTERED if by is None else StatusChange.Cause.ADDED_BY_STAFF
        _log(participation, old=old_status, new=Status.PENDING, cause=cause, by=by)
        if event.approval_mode == Event.ApprovalMode.AUTOMATIC and not contested:
            # Those waiting longer come first; the newcomer gets what places are left.
            places = _FreePlaces(event)
            _promote(event, places=places)
            _decide(
                participation,
                event,
                places=places,
                cause=StatusChange.Cause.AUTOMATIC,
                notify=False,
            )
        _email_queue(participation, EmailDelivery.Kind.RECEIPT)
    return participation


def participation_approve(
    *, participation: Participation, by: AbstractBaseUser | None = None
) -> Participation:
    """Approve a registration if its delegates fit everywhere, or else wait-list it.

    Return the registration as stored afterwards: its status says which of the two happened.
    Wait-listed registrations that fit are promoted first, so an approval never takes a place
    that someone waiting longer could have had. An approved registration stays as it is; a
    cancelled one cannot be approved.
    """
    with transaction.atomic():
        event = _lock_event(participation.event_id)
        participation = _lock_participation(participation.pk)
        if participation.status == Status.APPROVED:
            return participation
        if participation.status == Status.CANCELLED:
            raise TransitionError(_("A cancelled registration cannot be approved."))
        if _institution_approved_elsewhere(participation):
            raise TransitionError(
                _(
                    "Another registration of this institution for this edition is approved "
                    "already: reject or cancel one of them first."
                )
            )
        _promote(event)
        participation.refresh_from_db(fields=["status"])
        if participation.status != Status.APPROVED:
            _decide(participation, event, cause=StatusChange.Cause.STAFF, by=by)
    return participation


def participation_waitlist(
    *, participation: Participation, by: AbstractBaseUser | None = None
) -> Participation:
    """Put a pending or rejected registration on the waiting list."""
    with transaction.atomic():
        _lock_event(participation.event_id)
        participation = _lock_participation(participation.pk)
        if participation.status == Status.WAITLISTED:
            return participation
        if participation.status not in {Status.PENDING, Status.REJECTED}:
            raise TransitionError(
                _("Only a pending or rejected registration can be put on the waiting list.")
            )
        _change(participation, Status.WAITLISTED, cause=StatusChange.Cause.STAFF, by=by)
        _email_queue(participation, EmailDelivery.Kind.WAITLISTED)
    return participation


def participation_reject(
    *, participation: Participation, by: AbstractBaseUser | None = None, reason: str = ""
) -> Participation:
    """Reject a registration, with the reason the e-mail gives; places it held go to the
    waiting list."""
    return _close(
        participation,
        status=Status.REJECTED,
        refusal=_("A cancelled registration cannot be rejected."),
        cause=StatusChange.Cause.STAFF,
        by=by,
        email=EmailDelivery.Kind.REJECTED,
        fields={"rejection_reason": reason.strip()},
    )


def participation_cancel(
    *, participation: Participation, by: AbstractBaseUser | None = None
) -> Participation:
    """Cancel a registration (by its registrant when ``by`` is None); free its places."""
    return _close(
        participation,
        status=Status.CANCELLED,
        refusal=_("A rejected registration cannot be cancelled."),
        cause=StatusChange.Cause.REGISTRANT if by is None else StatusChange.Cause.STAFF,
        by=by,
        email=EmailDelivery.Kind.CANCELLED,
    )


def participation_update_details(
    *,
    participation: Participation,
    changes: dict,
    venues: Iterable[Venue] | None = None,
    by: AbstractBaseUser | None = None,
) -> Participation:
    """Save staff's edits of a registration's details (not its status).

    An approved registration that would grow beyond the free places is refused with
    CapacityError, checked again under the edition's lock; places it frees go to the
    waiting list. Only the fields in ``changes`` are written, so a status changed meanwhile
    through another workflow stays.
    """
    with transaction.atomic():
        event = _lock_event(participation.event_id)
        stored = _lock_participation(participation.pk)
        venues = list(stored.venues.all() if venues is None else venues)
        problems = participation_growth_problems(
            participation=stored,
            delegates=changes.get("delegates", stored.delegates),
            venues=venues,
        )
        if problems:
            raise CapacityError(
                " ".join([_("This approved registration would no longer fit."), *problems])
            )
        for name, value in changes.items():
            setattr(stored, name, value)
        if changes:
            stored.save(update_fields=[*changes, "updated_at"])
        stored.venues.set(venues)
        _promote(event)
    return stored


def waitlist_promote(*, event: Event) -> list[Participation]:
    """Approve wait-listed registrations that now fit, in the order they registered.

    One that does not fit is passed over, so a large delegation waiting for one sub-venue does
    not hold back a smaller one or one waiting for another sub-venue.
    """
    with transaction.atomic():
        event = _lock_event(event.pk)
        return _promote(event)


def participation_send_reminder(*, participation: Participation) -> None:
    """E-mail the contact person the link to the status page again."""
    _email_queue(participation, EmailDelivery.Kind.REMINDER)


def _close(
    participation: Participation,
    *,
    status: str,
    refusal: str,
    cause: str,
    by: AbstractBaseUser | None,
    email: str,
    fields: dict | None = None,
) -> Participation:
    """End a registration as rejected or cancelled; the places it held go to the waiting list.

    ``fields`` are stored with the new status (the reason for a rejection)."""
    with transaction.atomic():
        event = _lock_event(participation.event_id)
        participation = _lock_participation(participation.pk)
        if participation.status == status:
            return participation
        if participation.status not in Participation.ONGOING:
            raise TransitionError(refusal)
        held_places = participation.status == Status.APPROVED
        _change(participation, status, cause=cause, by=by, fields=fields)
        _email_queue(participation, email)
        if held_places:
            _promote(event)
    return participation


# Helpers; the callers hold the edition's lock.


def _lock_event(pk: int) -> Event:
    return Event.objects.select_for_update().get(pk=pk)


def _lock_participation(pk: int) -> Participation:
    return Participation.objects.select_for_update().get(pk=pk)


def _decide(
    participation: Participation,
    event: Event,
    *,
    cause: str,
    by: AbstractBaseUser | None = None,
    notify: bool = True,
    places: "_FreePlaces | None" = None,
) -> None:
    """Approve if the delegates fit, else wait-list (unless wait-listed already)."""
    places = places or _FreePlaces(event)
    if places.take(participation.delegates, [venue.pk for venue in participation.venues.all()]):
        _change(participation, Status.APPROVED, cause=cause, by=by)
        kind = EmailDelivery.Kind.APPROVED
    elif participation.status != Status.WAITLISTED:
        _change(participation, Status.WAITLISTED, cause=cause, by=by)
        kind = EmailDelivery.Kind.WAITLISTED
    else:
        return
    if notify:
        _email_queue(participation, kind)


def _promote(event: Event, *, places: "_FreePlaces | None" = None) -> list[Participation]:
    # The caller holds the edition's lock, which every status change takes first: the
    # wait-listed rows need no lock of their own.
    places = places or _FreePlaces(event)
    if places.edition == 0:
        return []
    waiting = (
        Participation.objects.filter(event=event, status=Status.WAITLISTED)
        .order_by("created_at", "pk")
        .prefetch_related("venues")
    )
    promoted = []
    for participation in waiting:
        if places.edition == 0:
            break
        if participation.contested and _institution_approved_elsewhere(participation):
            continue
        venue_ids = [venue.pk for venue in participation.venues.all()]
        if places.take(participation.delegates, venue_ids):
            _change(participation, Status.APPROVED, cause=StatusChange.Cause.PROMOTED)
            _email_queue(participation, EmailDelivery.Kind.PROMOTED)
            promoted.append(participation)
    return promoted


class _FreePlaces:
    """Free places of an edition and its sub-venues, counted once, then kept in step."""

    def __init__(self, event: Event) -> None:
        edition, *venues = capacity_usage(event=event)
        self.edition = edition.free
        self.venues = {usage.venue.pk: usage.free for usage in venues}

    def take(self, delegates: int, venue_ids: list[int]) -> bool:
        """Take the places if they are all free; say whether they were."""
        limits = [self.edition, *(self.venues.get(pk) for pk in venue_ids)]
        if any(free is not None and free < delegates for free in limits):
            return False
        if self.edition is not None:
            self.edition -= delegates
        for pk in venue_ids:
            if self.venues.get(pk) is not None:
                self.venues[pk] -= delegates
        return True


def _change(
    participation: Participation,
    status: str,
    *,
    cause: str,
    by: AbstractBaseUser | None = None,
    fields: dict | None = None,
) -> None:
    old = participation.status
    participation.status = status
    for name, value in (fields or {}).items():
        setattr(participation, name, value)
    participation.save(update_fields=["status", "updated_at", *(fields or {})])
    _log(participation, old=old, new=status, cause=cause, by=by)


def _log(
    participation: Participation,
    *,
    old: str,
    new: str,
    cause: str,
    by: AbstractBaseUser | None = None,
) -> None:
    StatusChange.objects.create(
        participation=participation, old_status=old, new_status=new, cause=cause, by=by
    )
    logger.info(
        "Registration %s: %s -> %s (%s%s)",
        participation.pk,
        old or "new",
        new,
        cause,
        f" by user {by.pk}" if by is not None else "",
    )


def _email_queue(participation: Participation, kind: str) -> None:
    """Queue the e-mail in the current transaction: it leaves only once the change is stored."""
    participation_email_queue(participation=participation, kind=kind)


def _institution_approved_elsewhere(participation: Participation) -> bool:
    """Say whether another registration of the same institution and edition is approved."""
    return (
        Participation.objects.approved()
        .filter(event_id=participation.event_id, organization_id=participation.organization_id)
        .exclude(pk=participation.pk)
        .exists()
    )


def _another_contact(existing: Participation, request: RegistrationRequest) -> bool:
    return existing.contact_email.casefold() != request.contact_email.casefold()


def _organization_find_or_create(request: RegistrationRequest) -> tuple[Organization, str]:
    """The institution a public registration names, and how it was found (Participation.Match)."""
    name, uscc = request.institution_name, request.uscc
    if match := organization_find_match(name=name, uscc=uscc):
        return match, _match_kind(match, uscc)
    suffix = "zh_hans" if request.language == "zh-hans" else "en"
    organization = Organization(
        slug=organization_unique_slug(name),
        kind=request.institution_kind,
        uscc=uscc,
        website=request.website,
        **{f"name_{suffix}": name, f"city_{suffix}": request.city},
    )
    try:
        # A savepoint: another edition's registration may create the same one meanwhile.
        with transaction.atomic():
            organization.save()
    except IntegrityError:
        match = organization_find_match(name=name, uscc=uscc)
        if match is None:
            raise
        return match, _match_kind(match, uscc)
    return organization, Participation.Match.NEW


def _match_kind(organization: Organization, uscc: str) -> str:
    if uscc and organization.uscc == uscc:
        return Participation.Match.USCC
    return Participation.Match.NAME


def _participation_renew(participation: Participation, details: dict) -> Participation:
    """Reuse a cancelled registration's row for a new one: new details, reference and place
    in the queue (the old status link stops working)."""
    for field, value in details.items():
        setattr(participation, field, value)
    participation.status = Status.PENDING
    participation.reference = new_reference()
    participation.created_at = timezone.now()
    participation.save(update_fields=[*details, "status", "reference", "created_at", "updated_at"])
    return participation


# Messages to registrants and reminders before an edition: bulk e-mail through the outbox, with a
# deduplication key per registration so that a re-run (after a crash, or a timer firing twice)
# never sends one twice. Bulk e-mail goes at a lower priority than the workflows' e-mails.
BULK_PRIORITY = -10
BULK_BATCH = 200


def staff_message_send(*, message: StaffMessage, by: AbstractBaseUser | None) -> StaffJob:
    """Start sending a draft message: a staff job queues one e-mail per recipient."""
    with transaction.atomic():
        message = StaffMessage.objects.select_for_update().get(pk=message.pk)
        if message.status != StaffMessage.Status.DRAFT:
            raise RegistrationError(_("This message has already been sent."))
        if not message.statuses:
            raise RegistrationError(_("Choose at least one registration status."))
        if not (message.subject_en or message.subject_zh_hans) or not (
            message.body_en or message.body_zh_hans
        ):
            raise RegistrationError(
                _("Write the subject and the message in one language at least.")
            )
        job = job_start(
            kind="registrations.staff_message_send",
            created_by=by,
            title=_("Message: %(subject)s") % {"subject": message.subject},
            params={"message": message.pk},
        )
        message.status = StaffMessage.Status.SENDING
        message.job = job
        message.save(update_fields=["status", "job"])
    return job


def staff_message_deliver(*, message: StaffMessage, progress=None) -> int:
    """Queue the message to each recipient not yet given it; return how many were queued."""
    recipients = staff_message_recipients(
        event=message.event, statuses=message.statuses, venues=message.venues.all()
    )
    pks = list(recipients.values_list("pk", flat=True))
    queued = 0
    for start in range(0, len(pks), BULK_BATCH):
        with transaction.atomic():
            batch = Participation.objects.filter(pk__in=pks[start : start + BULK_BATCH])
            for participation in batch.select_related("event", "organization").prefetch_related(
                "venues"
            ):
                with translation.override(participation.language):
                    extra = {"message_subject": message.subject, "message_body": message.body}
                delivery = participation_email_queue(
                    participation=participation,
                    kind=EmailDelivery.Kind.MESSAGE,
                    dedupe_key=f"message:{message.pk}:{participation.pk}",
                    extra=extra,
                    priority=BULK_PRIORITY,
                    message=message,
                )
                queued += delivery is not None
        if progress is not None:
            progress(min(start + BULK_BATCH, len(pks)), len(pks))
    with transaction.atomic():
        StaffMessage.objects.filter(pk=message.pk).update(
            status=StaffMessage.Status.SENT,
            sent_at=timezone.now(),
            recipients=EmailDelivery.objects.filter(message=message).count(),
        )
    return queued


def edition_reminders_queue(*, days: int, today: datetime.date | None = None) -> int:
    """Queue the reminder to approved registrants of editions starting in ``days`` days.

    Idempotent: each registration gets one reminder per edition and number of days.
    """
    start = (today or timezone.localdate()) + datetime.timedelta(days=days)
    queued = 0
    for event in Event.objects.filter(start_date=start):
        pks = list(
            Participation.objects.approved().filter(event=event).values_list("pk", flat=True)
        )
        for first in range(0, len(pks), BULK_BATCH):
            with transaction.atomic():
                batch = Participation.objects.filter(pk__in=pks[first : first + BULK_BATCH])
                for participation in batch.select_related("event", "organization").prefetch_related(
                    "venues"
                ):
                    delivery = participation_email_queue(
                        participation=participation,
                        kind=EmailDelivery.Kind.EDITION_REMINDER,
                        dedupe_key=f"edition_reminder:{event.pk}:{participation.pk}:{days}",
                        extra={"days": days},
                        priority=BULK_PRIORITY,
                    )
                    queued += delivery is not None
    return queued
