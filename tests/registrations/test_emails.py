import socket

import pytest
from django.core import mail

from registrations import services
from registrations.emails import participation_email_queue, render_participation_email
from registrations.models import EmailDelivery, Participation
from tests.factories import ParticipationFactory

from .conftest import register

pytestmark = pytest.mark.django_db
Status = Participation.Status


def test_receipt_sent_only_after_commit(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(event)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1


def test_receipt_in_english_has_status_link_and_details(
    event, venue, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://events.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        participation = register(event, delegates=3, venues=[venue])
    message = mail.outbox[0]
    assert message.to == ["li@example.com"]
    assert message.subject == "Registration received: Venture Capital Day"
    assert f"https://events.example.org/en/registrations/{participation.reference}/" in message.body
    assert "Dear Li Lei," in message.body
    assert "Example Capital" in message.body
    assert "Delegates: 3" in message.body
    assert "AI sub-venue" in message.body
    assert "Pending review" in message.body
    assert "Our staff will review it" in message.body
    delivery = EmailDelivery.objects.get()
    assert delivery.email.status == "sent"
    assert message.extra_headers["Message-ID"] == delivery.email.message_id
    assert delivery.email.body_text == message.body


def test_receipt_in_chinese_for_chinese_registrant(
    event, venue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        participation = register(event, venues=[venue], language="zh-hans")
    message = mail.outbox[0]
    assert "创投日" in message.subject
    assert f"/zh-hans/registrations/{participation.reference}/" in message.body
    assert "人工智能分会场" in message.body
    # Django's Chinese date format shows the language was active while rendering.
    assert f"{event.start_date.year}年" in message.body


def test_receipt_markup_stays_plain_text(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, name="A&B <Capital>", contact_name="O'Neil")
    body = mail.outbox[0].body
    assert "A&B <Capital>" in body
    assert "Dear O'Neil," in body
    assert "&lt;" not in body


def test_automatic_mode_sends_one_receipt_stating_approval(
    automatic_event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        register(automatic_event)
    assert len(mail.outbox) == 1
    assert "Your places are confirmed." in mail.outbox[0].body


def test_approval_and_waitlist_emails(event, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    first = ParticipationFactory(event=event, contact_email="first@example.com")
    second = ParticipationFactory(event=event, contact_email="second@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_approve(participation=first)
        services.participation_approve(participation=second)
    assert [(m.to[0], m.subject.split(":")[0]) for m in mail.outbox] == [
        ("first@example.com", "Registration approved"),
        ("second@example.com", "On the waiting list"),
    ]


def test_cancellation_promotes_and_emails_both(event, django_capture_on_commit_callbacks):
    event.capacity = 1
    event.save()
    approved = ParticipationFactory(
        event=event, status=Status.APPROVED, contact_email="gone@example.com"
    )
    ParticipationFactory(
        event=event,
        status=Status.WAITLISTED,
        contact_email="next@example.com",
        language="zh-hans",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_cancel(participation=approved)
    assert [m.to[0] for m in mail.outbox] == ["gone@example.com", "next@example.com"]
    assert mail.outbox[0].subject.startswith("Registration cancelled")
    assert "/zh-hans/registrations/" in mail.outbox[1].body


def test_rejection_email(event, django_capture_on_commit_callbacks):
    participation = ParticipationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_reject(participation=participation)
    assert "could not be accepted" in mail.outbox[0].body
    assert "Reason given" not in mail.outbox[0].body


def test_rejection_email_carries_the_reason_staff_gave(event, django_capture_on_commit_callbacks):
    participation = ParticipationFactory(event=event, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_reject(
            participation=participation, reason="  本届名额仅限创投机构。 "
        )
    participation.refresh_from_db()
    assert participation.rejection_reason == "本届名额仅限创投机构。"
    assert "主办方给出的原因：本届名额仅限创投机构。" in mail.outbox[0].body


@pytest.mark.parametrize("kind", EmailDelivery.Kind.values)
def test_every_email_kind_renders_with_link(event, kind):
    participation = ParticipationFactory(event=event)
    subject, body = render_participation_email(participation, kind)
    assert subject
    assert "\n" not in subject
    assert participation.reference in body


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_failing_mail_server_keeps_registration_and_queues_a_retry(
    event, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    with django_capture_on_commit_callbacks(execute=True):
        participation = register(event)
    assert Participation.objects.filter(pk=participation.pk).exists()
    email = EmailDelivery.objects.get().email
    assert (email.status, email.attempts) == ("queued", 1)
    assert "ConnectionRefused" in email.last_error
    assert email.attempt_log.get().outcome == "transient"
    assert "Could not send the receipt e-mail" in caplog.text


def test_queued_email_failure_recorded_status_page_works(
    client, event, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    participation = ParticipationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = participation_email_queue(participation=participation, kind="approved")
    delivery.email.refresh_from_db()
    assert delivery.email.last_error.startswith("ConnectionRefusedError")
    assert client.get(participation.get_absolute_url()).status_code == 200


def test_email_rendered_in_the_transaction_is_not_queued_if_it_rolls_back(
    event, django_capture_on_commit_callbacks
):
    from django.db import transaction

    participation = ParticipationFactory(event=event)

    def queue_then_fail():
        with transaction.atomic():
            participation_email_queue(participation=participation, kind="approved")
            raise RuntimeError("the change fails after its e-mail was queued")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        queue_then_fail()
    assert not EmailDelivery.objects.exists()
    assert mail.outbox == []


def test_template_error_queues_nothing_and_keeps_the_change(
    event, settings, caplog, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(event=event)
    assert participation_email_queue(participation=participation, kind="no-such-kind") is None
    assert "Could not render the no-such-kind e-mail" in caplog.text
    assert not EmailDelivery.objects.exists()


def test_cancellation_email_does_not_offer_to_cancel_again(
    event, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_cancel(participation=participation)
    (email,) = mail.outbox
    assert "cancel there" not in email.body
    assert "Status page:" in email.body
