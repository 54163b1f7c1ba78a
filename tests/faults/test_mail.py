"""A mail server refusing connections never loses a registration or its e-mail; staff see the
failure, and the e-mail is tried again later (tests/outbox has the retries and the real workers).

The service-level case is in tests/registrations/test_emails.py; this one goes through the
public form and the admin, with Django's SMTP backend pointed at a closed loopback port.
"""

import socket

import pytest
from django.urls import reverse
from django.utils import translation

from registrations.models import EmailDelivery, Participation
from tests.factories import OpenEventFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def refusing_mail_server(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    settings.EMAIL_TIMEOUT = 2


def test_registration_through_the_form_survives_a_refusing_mail_server(
    client, admin_client, refusing_mail_server, django_capture_on_commit_callbacks
):
    event = OpenEventFactory(title_en="Venture Capital Day")
    with translation.override("en"):
        url = reverse("registrations:register", kwargs={"slug": event.slug})
    data = {
        "institution_name": "Example Capital",
        "institution_kind": "vc_firm",
        "uscc": "",
        "city": "Shenzhen",
        "website": "",
        "contact_name": "Li Lei",
        "contact_position": "Partner",
        "contact_email": "li@example.com",
        "contact_phone": "+86 755 1234 5678",
        "delegates": "2",
        "privacy_consent": "on",
        "homepage": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    participation = Participation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == participation.get_absolute_url()
    assert participation.contact_email == "li@example.com"
    assert participation.delegates == 2
    status_page = client.get(participation.get_absolute_url())
    assert "Example Capital" in status_page.text

    delivery = EmailDelivery.objects.get(participation=participation)
    assert delivery.kind == EmailDelivery.Kind.RECEIPT
    # Not lost: queued again for a later attempt, the refusal recorded.
    assert (delivery.email.status, delivery.email.attempts) == ("queued", 1)
    assert "ConnectionRefusedError" in delivery.email.last_error

    admin_page = admin_client.get(
        reverse("admin:registrations_participation_change", args=[participation.pk])
    )
    assert admin_page.status_code == 200
    assert "Queued" in admin_page.text
    assert "ConnectionRefusedError" in admin_page.text
