"""A registrant's own data: seeing it, downloading it, and erasing it on request and after the
retention period.

A registration keeps what the statistics need (edition, institution, delegates, sub-venues,
status and its changes); its contact person's name, position, e-mail address and phone number
are replaced, in the registration itself, in every version of its change history and in the
record of e-mails sent to it (their outbox rows lose their text too; one not sent yet never
leaves); its named delegates lose their names, positions and mobile numbers (they stay as rows,
so counts and arrivals still add up). An erased registration's e-mail address ends in
``@erased.invalid``, a domain that never receives mail.
"""

import datetime
import logging
import re
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import timezone, translation

from organizations.models import Person
from organizations.selectors import organizer_email
from outbox.models import OutboundEmail
from outbox.services import email_queue, emails_scrub

from .models import Delegate, EmailDelivery, ErasureRequest, Participation

logger = logging.getLogger(__name__)

# Sent inside the erasure's transaction for each registration erased (participation_pk, email:
# the contact address it had, placeholder: the address that replaces it), so that an app
# holding more of the registrant's data (meetings) erases it on every path of an erasure.
registration_erased = Signal()

# Sent when a registrant asks for their data (participation), so that an app holding more of it
# (meetings) adds its part to the export: each receiver returns a PersonalDataSection or None.
personal_data_requested = Signal()

ERASED_NAME = "[erased]"
ERASED_DOMAIN = "erased.invalid"


@dataclass(frozen=True)
class Erasure:
    """How many records lost their personal data."""

    registrations: int = 0
    people: int = 0
    emails: int = 0


@dataclass(frozen=True)
class PersonalDataSection:
    """Another app's part of a registrant's data: ``data`` goes into the JSON download under
    ``key`` (its encoder writes datetimes and decimals as text); ``template`` shows it on the
    readable page, given ``data``."""

    key: str
    data: dict
    template: str


def erased_email(pk: int) -> str:
    """Return the placeholder address of an erased registration."""
    return f"erased-{pk}@{ERASED_DOMAIN}"


def participations_not_erased() -> QuerySet[Participation]:
    return Participation.objects.exclude(contact_email__iendswith=f"@{ERASED_DOMAIN}")


def participations_past_retention(
    *, days: int, today: datetime.date | None = None
) -> QuerySet[Participation]:
    """Return registrations not yet erased whose edition ended more than ``days`` days ago."""
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
    return participations_not_erased().filter(event__end_date__lt=cutoff)


def participations_erase_personal_data(*, participations: QuerySet[Participation]) -> Erasure:
    """Replace the contact details of these registrations, of their history and e-mail records."""
    history = Participation.history.model
    registrations = emails = 0
    with transaction.atomic():
        rows = participations.select_for_update().values_list("pk", "contact_email")
        for pk, old_email in rows:
            placeholder = erased_email(pk)
            contact = {
                "contact_name": ERASED_NAME,
                "contact_position": "",
                "contact_email": placeholder,
                "contact_phone": "",
            }
            Participation.objects.filter(pk=pk).update(**contact, updated_at=timezone.now())
            Delegate.objects.filter(participation_id=pk).update(
                name_zh="", name_en=ERASED_NAME, position="", mobile=""
            )
            history.objects.filter(id=pk).update(**contact)
            emails += _scrub_deliveries(
                EmailDelivery.objects.filter(participation_id=pk),
                addresses=[old_email],
                placeholder=placeholder,
            )
            registration_erased.send(
                sender=Participation, participation_pk=pk, email=old_email, placeholder=placeholder
            )
            registrations += 1
    return Erasure(registrations=registrations, emails=emails)


def personal_data_erase(*, references: list[str] = (), emails: list[str] = ()) -> Erasure:
    """Erase, on request, the registrations with these references or contact e-mail addresses.

    An address also erases every person (speaker, contact) recorded with it, and the address
    wherever an older version of a registration or an e-mail record still holds it.
    """
    match = Q(reference__in=references)
    for email in emails:
        match |= Q(contact_email__iexact=email)
    with transaction.atomic():
        erasure = participations_erase_personal_data(
            participations=participations_not_erased().filter(match)
        )
        people = extra_emails = 0
        for email in emails:
            _erase_email_from_history(email)
            extra_emails += _scrub_deliveries(
                EmailDelivery.objects.filter(recipient__iexact=email),
                addresses=[email],
                placeholder=f"erased@{ERASED_DOMAIN}",
            )
            # Any other e-mail to the address (not about a registration).
            emails_scrub(
                emails=OutboundEmail.objects.filter(to__iexact=email),
                addresses=[email],
                placeholder=f"erased@{ERASED_DOMAIN}",
            )
            people += _people_erase_contact(email)
    return Erasure(
        registrations=erasure.registrations,
        people=people,
        emails=erasure.emails + extra_emails,
    )


def personal_data_erase_expired(*, days: int, today: datetime.date | None = None) -> Erasure:
    """Erase the registrations of editions that ended more than ``days`` days ago.

    The history of registrations deleted since is scrubbed too: their versions outlive them.
    """
    with transaction.atomic():
        erasure = participations_erase_personal_data(
            participations=participations_past_retention(days=days, today=today)
        )
        _erase_history_of_deleted(days=days, today=today)
    return erasure


def _erase_history_of_deleted(*, days: int, today: datetime.date | None) -> None:
    history = Participation.history.model
    cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
    gone = (
        history.objects.exclude(id__in=Participation.objects.values("pk"))
        .filter(event__end_date__lt=cutoff)
        .exclude(contact_email__iendswith=f"@{ERASED_DOMAIN}")
    )
    for pk in set(gone.values_list("id", flat=True)):
        history.objects.filter(id=pk).update(
            contact_name=ERASED_NAME,
            contact_position="",
            contact_email=erased_email(pk),
            contact_phone="",
        )


def _erase_email_from_history(email: str) -> None:
    """Scrub versions of registrations that held the address, even if it changed since."""
    history = Participation.history.model
    for version in history.objects.filter(contact_email__iexact=email).only("history_id", "id"):
        history.objects.filter(history_id=version.history_id).update(
            contact_name=ERASED_NAME,
            contact_position="",
            contact_email=erased_email(version.id),
            contact_phone="",
        )


def _people_erase_contact(email: str) -> int:
    """Blank the private e-mail and phone of people recorded with the address."""
    people = Person.objects.filter(email__iexact=email)
    pks = list(people.values_list("pk", flat=True))
    Person.objects.filter(pk__in=pks).update(email="", phone="")
    Person.history.model.objects.filter(Q(id__in=pks) | Q(email__iexact=email)).update(
        email="", phone=""
    )
    return len(pks)


def _scrub_deliveries(deliveries, *, addresses: list[str], placeholder: str) -> int:
    """Scrub the e-mail records and their outbox rows (address, text, errors); an e-mail not
    sent yet never leaves."""
    pks = list(deliveries.values_list("pk", flat=True))
    deliveries = EmailDelivery.objects.filter(pk__in=pks)
    emails_scrub(
        emails=OutboundEmail.objects.filter(delivery__in=deliveries),
        addresses=addresses,
        placeholder=placeholder,
    )
    return deliveries.update(recipient=placeholder)


def _replace_ignoring_case(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), lambda _match: new, text, flags=re.IGNORECASE)


# A registrant's own data ------------------------------------------------------------------


def participation_personal_data(*, participation: Participation) -> dict:
    """Return everything stored about a registration that its registrant may see, as plain data:
    the registration's own, then each other app's section under its key."""
    data = registration_personal_data(participation=participation)
    for section in personal_data_sections(participation=participation):
        data[section.key] = section.data
    return data


def personal_data_sections(*, participation: Participation) -> list[PersonalDataSection]:
    """Return the parts of a registrant's data that other apps hold."""
    answers = personal_data_requested.send(sender=Participation, participation=participation)
    return [section for _receiver, section in answers if section is not None]


def registration_personal_data(*, participation: Participation) -> dict:
    """Return what the registration itself stores that its registrant may see, as plain data.

    The institution appears as the registrant typed it; data stored about an institution they
    matched (by name or code) is not theirs to see.
    """
    return {
        "edition": str(participation.event.title),
        "edition_dates": [
            participation.event.start_date.isoformat(),
            participation.event.end_date.isoformat(),
        ],
        "institution": participation.institution_name,
        "contact": {
            "name": participation.contact_name,
            "position": participation.contact_position,
            "email": participation.contact_email,
            "phone": participation.contact_phone,
        },
        "delegates": participation.delegates,
        "named_delegates": [
            {
                "name_zh": delegate.name_zh,
                "name_en": delegate.name_en,
                "position": delegate.position,
                "mobile": delegate.mobile,
                "category": delegate.category,
                "sub_venues": [str(venue.name) for venue in delegate.venues.all()],
            }
            for delegate in participation.delegate_list.prefetch_related("venues")
        ],
        "sub_venues": [str(venue.name) for venue in participation.venues.all()],
        "listed_publicly": participation.listed_publicly,
        "language": participation.language,
        "status": participation.status,
        "registered_at": participation.created_at.isoformat(),
        "status_changes": [
            {
                "at": change.created_at.isoformat(),
                "from": change.old_status,
                "to": change.new_status,
            }
            for change in participation.status_changes.order_by("created_at", "pk")
        ],
        "emails_sent": [
            {"at": delivery.created_at.isoformat(), "kind": delivery.kind, "to": delivery.recipient}
            for delivery in participation.email_deliveries.order_by("created_at", "pk")
        ],
        "erasure_requested_at": [
            erasure.requested_at.isoformat()
            for erasure in participation.erasure_requests.order_by("requested_at")
        ],
    }


def erasure_request_create(*, participation: Participation) -> ErasureRequest:
    """Record a registrant's request to erase their registration's personal data.

    One open request per registration: asking again returns it. Staff confirm it in the admin.
    """
    with transaction.atomic():
        Participation.objects.select_for_update().filter(pk=participation.pk).first()
        existing = participation.erasure_requests.filter(erased_at__isnull=True).first()
        if existing is not None:
            return existing
        erasure_request = ErasureRequest.objects.create(participation=participation)
    logger.info("Registration %s: erasure requested", participation.pk)
    return erasure_request


def erasure_request_confirm(
    *, erasure_request: ErasureRequest, by: AbstractBaseUser | None = None
) -> Erasure:
    """Erase the personal data of the request's registration and tell the registrant by e-mail.

    The e-mail goes to the address being erased, once the erasure has committed; no record of
    it is kept, since the record would hold that address again.
    """
    with transaction.atomic():
        erasure_request = ErasureRequest.objects.select_for_update().get(pk=erasure_request.pk)
        if erasure_request.erased_at is not None:
            return Erasure()
        participation = erasure_request.participation
        recipient, language = participation.contact_email, participation.language
        context = {
            "event": participation.event,
            "institution_name": participation.institution_name,
            "organizer_email": organizer_email(),
        }
        erasure = personal_data_erase(references=[participation.reference])
        erasure_request.erased_at = timezone.now()
        erasure_request.erased_by = by
        erasure_request.save(update_fields=["erased_at", "erased_by"])
        if not recipient.endswith(f"@{ERASED_DOMAIN}"):
            _queue_erased_email(recipient, language, context)
    logger.info(
        "Registration %s: personal data erased on request%s",
        participation.pk,
        f" by user {by.pk}" if by is not None else "",
    )
    return erasure


def _queue_erased_email(recipient: str, language: str, context: dict) -> None:
    """The answer to the request, through the outbox; the last e-mail to that address."""
    with translation.override(language):
        subject = render_to_string("registrations/email/erased_subject.txt", context)
        body = render_to_string("registrations/email/erased_body.txt", context)
    email_queue(to=recipient, subject=subject, body_text=body, kind="erased", language=language)
