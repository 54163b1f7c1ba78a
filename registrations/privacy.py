"""Erasing the personal data of registrations: on request, and after the retention period.

A registration keeps what the statistics need (edition, institution, delegates, sub-venues,
status and its changes); its contact person's name, position, e-mail address and phone number
are replaced, in the registration itself, in every version of its change history and in the
record of e-mails sent to it; its named delegates lose their names, positions and mobile
numbers (they stay as rows, so counts and arrivals still add up). An erased registration's
e-mail address ends in ``@erased.invalid``, a domain that never receives mail.
"""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from organizations.models import Person

from .models import Delegate, EmailDelivery, Participation

ERASED_NAME = "[erased]"
ERASED_DOMAIN = "erased.invalid"


@dataclass(frozen=True)
class Erasure:
    """How many records lost their personal data."""

    registrations: int = 0
    people: int = 0
    emails: int = 0


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
    count = 0
    for delivery in deliveries.only("pk", "recipient", "error"):
        error = delivery.error
        for address in {*addresses, delivery.recipient}:
            if address:
                error = _replace_ignoring_case(error, address, placeholder)
        EmailDelivery.objects.filter(pk=delivery.pk).update(recipient=placeholder, error=error)
        count += 1
    return count


def _replace_ignoring_case(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), lambda _match: new, text, flags=re.IGNORECASE)
