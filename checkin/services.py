"""Check-in workflows: signing keys, badges and their codes, and the answer to a scan.

A scan is decided in one transaction that locks the delegate's row (``SELECT ... FOR UPDATE``):
the same badge at two entrances of one list at the same instant is admitted once, the other
scan waits and answers "already admitted". A partial unique constraint (one admission per list
and delegate) holds the same line in the database whatever the caller. Every scan is stored
with its answer, refused ones too; a scan sent again with the same nonce (an offline queue
resending) gets the stored answer instead of a second entry.
"""

import datetime
import logging
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event
from registrations.models import Delegate, Participation

from . import signing
from .models import Badge, CheckinList, Entrance, Scan, SigningKey

logger = logging.getLogger(__name__)

Reason = Scan.Reason


# Keys and codes


def signing_key_get_or_create(*, event: Event) -> SigningKey:
    """Return the edition's key pair, made on first use."""
    key = SigningKey.objects.filter(event=event).first()
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                event=event,
                private_key=private.private_bytes_raw(),
                public_key=private.public_key().public_bytes_raw(),
            )
    except IntegrityError:  # made meanwhile by another request
        return SigningKey.objects.get(event=event)


def _public_key(event_id: int) -> Ed25519PublicKey | None:
    raw = SigningKey.objects.filter(event_id=event_id).values_list("public_key", flat=True).first()
    return None if raw is None else Ed25519PublicKey.from_public_bytes(bytes(raw))


def badge_validity(event: Event) -> tuple[None, datetime.datetime]:
    """A code is good from when it is issued until the end of the day after the last day
    (Beijing time); the lists' time windows say when it opens a door."""
    last = datetime.datetime.combine(event.end_date, datetime.time())
    return None, timezone.make_aware(last + datetime.timedelta(days=2))


def badges_issue(*, delegates: list[Delegate]) -> dict[int, Badge]:
    """Return each delegate's valid badge by delegate id, issuing those missing (one query
    to read, one to write)."""
    badges = {
        badge.delegate_id: badge
        for badge in Badge.objects.filter(delegate__in=delegates, revoked_at=None)
    }
    missing = [
        Badge(delegate=delegate, event_id=delegate.participation.event_id)
        for delegate in delegates
        if delegate.pk not in badges
    ]
    if missing:
        # A badge issued meanwhile by another request wins; ours is dropped.
        Badge.objects.bulk_create(missing, ignore_conflicts=True)
        badges.update(
            (badge.delegate_id, badge)
            for badge in Badge.objects.filter(
                delegate__in=[badge.delegate for badge in missing], revoked_at=None
            )
        )
    return badges


def badge_reissue(*, delegate: Delegate) -> Badge:
    """Revoke the delegate's badge (lost or handed on) and issue a new one."""
    with transaction.atomic():
        Delegate.objects.select_for_update().filter(pk=delegate.pk).first()
        Badge.objects.filter(delegate=delegate, revoked_at=None).update(revoked_at=timezone.now())
        return Badge.objects.create(delegate=delegate, event_id=delegate.participation.event_id)


def badge_code(*, badge: Badge, key: SigningKey, event: Event) -> str:
    """The signed text of a badge's QR code."""
    valid_from, valid_until = badge_validity(event)
    return signing.sign(
        key=Ed25519PrivateKey.from_private_bytes(bytes(key.private_key)),
        event_id=event.pk,
        serial=badge.serial,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def code_verify(code: str, *, now: datetime.datetime | None = None) -> signing.Payload:
    """Check a code's signature and validity against its edition's key (CodeError if not)."""
    claims, _payload, _signature = signing.parse(code)
    return signing.verify(code, public_key=_public_key(claims.event_id), now=now or timezone.now())


def badges_pdf(*, event: Event, delegates: list[Delegate], sheet: bool) -> bytes:
    """Issue what badges are missing, sign their codes and return the PDF (checkin.badges)."""
    from . import badges

    key = signing_key_get_or_create(event=event)
    private = Ed25519PrivateKey.from_private_bytes(bytes(key.private_key))
    _valid_from, valid_until = badge_validity(event)
    issued = badges_issue(delegates=delegates)
    labels = badges.category_labels()
    contents = (
        badges.badge_content(
            delegate,
            code=signing.sign(
                key=private,
                event_id=event.pk,
                serial=issued[delegate.pk].serial,
                valid_until=valid_until,
            ),
            category_labels=labels,
        )
        for delegate in delegates
    )
    return badges.render(contents, event=event, sheet=sheet)


# Scanning


@dataclass(frozen=True)
class ScanRequest:
    """A scan as the scan page sends it: a code read, or a delegate chosen by hand."""

    entrance: Entrance
    code: str = ""
    delegate_id: int | None = None
    nonce: str = ""
    device: str = ""
    scanned_at: datetime.datetime | None = None


def scan_redeem(*, request: ScanRequest, by: AbstractBaseUser | None = None) -> Scan:
    """Decide whether a badge (or a delegate found by hand) may pass an entrance; store the scan.

    The checks, in order: a genuine, current code of this edition, not revoked; a registration
    that is approved; the list's rules (sub-venue, category, time window); not admitted on this
    list before. A scan made offline is judged at the moment it was made (never later than now).
    The scan returned has its delegate (with registration and institution) loaded, and, when
    already admitted, the first admission as ``previous``.
    """
    try:
        return _scan_decide(request, by)
    except IntegrityError:
        # Only where no row lock held a twin back (SQLite), or the same nonce racing itself:
        # deciding again finds the admission or the nonce stored meanwhile.
        return _scan_decide(request, by)


def _scan_decide(request: ScanRequest, by: AbstractBaseUser | None) -> Scan:
    if request.nonce and (earlier := _scan_with_nonce(request.nonce)) is not None:
        return earlier
    now = timezone.now()
    when = min(request.scanned_at or now, now)
    entrance = request.entrance
    checkin_list = entrance.checkin_list
    scan = Scan(
        checkin_list=checkin_list,
        entrance=entrance,
        code=request.code[:300],
        device=request.device[:64],
        by=by,
        nonce=request.nonce[:64] or None,
        scanned_at=when,
        received_at=now,
        source=Scan.Source.CODE if request.delegate_id is None else Scan.Source.MANUAL,
    )
    with transaction.atomic():
        delegate_id = request.delegate_id
        if delegate_id is None:
            reason, scan.badge = _badge_of(request.code, checkin_list=checkin_list, when=when)
            if reason is not None:
                scan.reason = reason
                scan.delegate_id = scan.badge.delegate_id if scan.badge else None
                scan.save()
                return scan
            delegate_id = scan.badge.delegate_id
        delegate = (
            Delegate.objects.select_for_update(of=("self",))
            .select_related("participation__organization")
            .filter(pk=delegate_id, participation__event_id=checkin_list.event_id)
            .first()
        )
        if delegate is None:
            scan.reason = Reason.UNKNOWN
            scan.save()
            return scan
        scan.delegate = delegate
        scan.reason = _refusal(delegate, checkin_list, when) or Reason.ADMITTED
        if scan.reason == Reason.ADMITTED:
            scan.previous = _admission(checkin_list, delegate)
            if scan.previous is not None:
                scan.reason = Reason.ALREADY_ADMITTED
        scan.save()
    logger.info("Scan at entrance %s: %s (delegate %s)", entrance.pk, scan.reason, delegate_id)
    return scan


def _badge_of(
    code: str, *, checkin_list: CheckinList, when: datetime.datetime
) -> tuple[str | None, Badge | None]:
    """Return (refusal or None, the badge) for a code read at an entrance of ``checkin_list``.

    One query: the badge its serial names, with the edition's key to check the signature.
    """
    try:
        claims, _payload, _signature = signing.parse(code)
    except signing.CodeError as error:
        return error.reason, None
    if claims.event_id != checkin_list.event_id:
        return Reason.UNKNOWN, None
    badge = (
        Badge.objects.filter(serial=claims.serial, event_id=claims.event_id)
        .select_related("event__signing_key")
        .first()
    )
    if badge is None:
        return Reason.UNKNOWN, None
    key = getattr(badge.event, "signing_key", None)
    public = None if key is None else Ed25519PublicKey.from_public_bytes(bytes(key.public_key))
    try:
        signing.verify(code, public_key=public, now=when)
    except signing.CodeError as error:
        return error.reason, None
    if badge.revoked_at is not None:
        return Reason.REVOKED, badge
    return None, badge


def _refusal(delegate: Delegate, checkin_list: CheckinList, when: datetime.datetime) -> str | None:
    status = delegate.participation.status
    if status in {Participation.Status.CANCELLED, Participation.Status.REJECTED}:
        return Reason.CANCELLED
    if status != Participation.Status.APPROVED:
        return Reason.NOT_APPROVED
    if checkin_list.categories and delegate.category not in checkin_list.categories:
        return Reason.NOT_ALLOWED
    if (
        checkin_list.venue_id is not None
        and not delegate.venues.filter(pk=checkin_list.venue_id).exists()
    ):
        return Reason.NOT_ALLOWED
    if (checkin_list.opens_at is not None and when < checkin_list.opens_at) or (
        checkin_list.closes_at is not None and when >= checkin_list.closes_at
    ):
        return Reason.OUTSIDE_WINDOW
    return None


def _admission(checkin_list: CheckinList, delegate: Delegate) -> Scan | None:
    return (
        Scan.objects.filter(checkin_list=checkin_list, delegate=delegate, reason=Reason.ADMITTED)
        .select_related("entrance")
        .first()
    )


def _scan_with_nonce(nonce: str) -> Scan | None:
    return (
        Scan.objects.filter(nonce=nonce[:64])
        .select_related("delegate__participation__organization")
        .first()
    )
