"""Erasing personal data on request and after the retention period; counts stay."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from organizations.models import Person
from outbox.models import EmailAttempt, OutboundEmail
from registrations.models import EmailDelivery, Participation
from registrations.privacy import ERASED_NAME, erased_email
from tests.factories import (
    EventFactory,
    ParticipationFactory,
    PersonFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def _history(participation):
    return Participation.history.model.objects.filter(id=participation.pk)


@pytest.fixture
def registration():
    event = EventFactory()
    venue = VenueFactory(event=event, kind="sub")
    participation = ParticipationFactory(
        event=event,
        contact_name="Li Lei",
        contact_position="Partner",
        contact_email="Li.Lei@example.com",
        contact_phone="+86 138 0000 1234",
        delegates=3,
        status=Participation.Status.APPROVED,
    )
    participation.venues.set([venue])
    participation.contact_phone = "+86 138 0000 9999"
    participation.save()  # a second version in the history
    error = "SMTPRecipientsRefused: {'li.lei@example.com': (550, 'no such user')}"
    failed = OutboundEmail.objects.create(
        kind="receipt",
        to="Li.Lei@example.com",
        subject="Registration received",
        body_text="Dear Li Lei, your status: https://x/en/registrations/abc/",
        status=OutboundEmail.Status.FAILED,
        attempts=1,
        last_error=error,
    )
    EmailAttempt.objects.create(email=failed, number=1, outcome="permanent", error=error)
    EmailDelivery.objects.create(
        participation=participation,
        kind=EmailDelivery.Kind.RECEIPT,
        recipient="Li.Lei@example.com",
        email=failed,
    )
    # One still waiting to be sent: after erasure it must never leave.
    waiting = OutboundEmail.objects.create(
        kind="approved", to="Li.Lei@example.com", subject="Approved", body_text="Dear Li Lei"
    )
    EmailDelivery.objects.create(
        participation=participation,
        kind=EmailDelivery.Kind.APPROVED,
        recipient="Li.Lei@example.com",
        email=waiting,
    )
    return participation


def _assert_erased(participation):
    participation.refresh_from_db()
    assert participation.contact_name == ERASED_NAME
    assert participation.contact_position == ""
    assert participation.contact_email == erased_email(participation.pk)
    assert participation.contact_phone == ""
    versions = _history(participation)
    assert versions.exists()
    for version in versions:
        assert version.contact_name == ERASED_NAME
        assert version.contact_email == erased_email(participation.pk)
        assert version.contact_phone == ""
    for delivery in participation.email_deliveries.select_related("email"):
        email = delivery.email
        assert delivery.recipient == erased_email(participation.pk)
        assert email.to == erased_email(participation.pk)
        assert (email.body_text, email.body_html) == ("", "")
        assert "li.lei" not in email.last_error.lower()
        for attempt in email.attempt_log.all():
            assert "li.lei" not in attempt.error.lower()
            assert "550" in attempt.error
        assert email.status == OutboundEmail.Status.FAILED


def test_erase_by_reference_keeps_counts(registration):
    other = ParticipationFactory(event=registration.event, contact_email="other@example.com")
    out = StringIO()
    call_command("erase_personal_data", reference=[registration.reference], stdout=out)
    assert "Erased: 1 registration(s)" in out.getvalue()
    _assert_erased(registration)
    assert _history(registration).count() == 2
    assert registration.delegates == 3
    assert registration.status == Participation.Status.APPROVED
    assert registration.venues.count() == 1
    other.refresh_from_db()
    assert other.contact_email == "other@example.com"


def test_erase_by_email_ignores_case_and_covers_people_and_old_versions(registration):
    speaker = PersonFactory(email="li.lei@EXAMPLE.com", phone="+86 138 0000 5555")
    later = ParticipationFactory(contact_email="li.lei@example.com")
    # An older version of another registration held the address; it changed since.
    changed = ParticipationFactory(contact_email="li.lei@example.com")
    changed.contact_email = "new@example.com"
    changed.save()
    out = StringIO()
    call_command("erase_personal_data", email=["LI.LEI@example.com"], stdout=out)
    assert "Erased: 2 registration(s), 1 person(s)" in out.getvalue()
    _assert_erased(registration)
    _assert_erased(later)
    speaker.refresh_from_db()
    assert (speaker.email, speaker.phone) == ("", "")
    assert speaker.name_en  # a speaker's public name stays
    assert not Person.history.model.objects.filter(email__iexact="li.lei@example.com").exists()
    changed.refresh_from_db()
    assert changed.contact_email == "new@example.com"
    assert not _history(changed).filter(contact_email__iexact="li.lei@example.com").exists()


def test_erase_twice_changes_nothing_more(registration):
    call_command("erase_personal_data", reference=[registration.reference], stdout=StringIO())
    out = StringIO()
    call_command("erase_personal_data", reference=[registration.reference], stdout=out)
    assert "Erased: 0 registration(s)" in out.getvalue()


def test_erase_needs_a_reference_or_an_address():
    with pytest.raises(CommandError, match="--reference or --email"):
        call_command("erase_personal_data")


def _ended(days_ago: int):
    end = timezone.localdate() - datetime.timedelta(days=days_ago)
    return EventFactory(start_date=end - datetime.timedelta(days=1), end_date=end)


def test_retention_erases_only_registrations_of_editions_ended_long_enough_ago(settings):
    settings.REGISTRATION_RETENTION_DAYS = 365
    old = ParticipationFactory(event=_ended(400), delegates=4)
    recent = ParticipationFactory(event=_ended(300))
    upcoming = ParticipationFactory()
    out = StringIO()
    call_command("erase_expired_registrations", stdout=out)
    assert "Erased: 1 registration(s)" in out.getvalue()
    old.refresh_from_db()
    assert old.contact_email == erased_email(old.pk)
    assert old.delegates == 4
    for kept in (recent, upcoming):
        kept.refresh_from_db()
        assert not kept.contact_email.endswith("erased.invalid")


def test_retention_days_option_and_dry_run(settings):
    settings.REGISTRATION_RETENTION_DAYS = None
    old = ParticipationFactory(event=_ended(40))
    out = StringIO()
    call_command("erase_expired_registrations", days=30, dry_run=True, stdout=out)
    assert "1 registration(s) would be erased" in out.getvalue()
    old.refresh_from_db()
    assert old.contact_email.endswith("@example.com")
    call_command("erase_expired_registrations", days=30, stdout=StringIO())
    old.refresh_from_db()
    assert old.contact_email == erased_email(old.pk)


def test_retention_without_a_period_refuses(settings):
    settings.REGISTRATION_RETENTION_DAYS = None
    with pytest.raises(CommandError, match="REGISTRATION_RETENTION_DAYS"):
        call_command("erase_expired_registrations")


def test_retention_scrubs_the_history_of_registrations_deleted_since(settings):
    settings.REGISTRATION_RETENTION_DAYS = 365
    deleted = ParticipationFactory(event=_ended(400), contact_phone="+86 138 0000 1111")
    pk = deleted.pk
    deleted.delete()
    history = Participation.history.filter(id=pk)
    assert history.filter(contact_phone="+86 138 0000 1111").exists()
    call_command("erase_expired_registrations", stdout=StringIO())
    assert not history.exclude(contact_email=erased_email(pk)).exists()
    assert not history.exclude(contact_phone="").exists()
