"""A registrant's own data from the status page: see it, download it, ask for its erasure;
staff confirm the erasure in the admin and the registrant is told by e-mail."""

import json

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from registrations import services
from registrations.models import ErasureRequest, Participation
from registrations.privacy import ERASED_DOMAIN
from tests.factories import (
    DelegateFactory,
    OrganizationFactory,
    ParticipationFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation():
    with translation.override("en"):
        registration = ParticipationFactory(
            contact_name="Li Lei",
            contact_email="li.lei@example.com",
            contact_phone="+86 755 1234 5678",
            institution_name_given="Example Capital",
            organization=OrganizationFactory(name_en="Stored Name Holdings"),
        )
        registration.venues.add(VenueFactory(event=registration.event, name_en="AI sub-venue"))
        services.participation_approve(participation=registration)
    ParticipationFactory(event=registration.event, contact_email="someone.else@example.com")
    return registration


def _url(name, participation, language="en"):
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"reference": participation.reference})


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", ["See all data stored", "Download as JSON", "Ask for erasure"]),
        ("zh-hans", ["查看所有已存储的数据", "下载 JSON 文件", "申请删除"]),
    ],
)
def test_status_page_offers_the_data_and_erasure_in_both_languages(
    client, participation, language, texts
):
    page = client.get(_url("status", participation, language)).content.decode()
    for text in texts:
        assert text in page
    assert _url("data_json", participation, language) in page


def test_json_download_holds_the_registrants_data_and_nobody_elses(client, participation):
    response = client.get(_url("data_json", participation))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["contact"] == {
        "name": "Li Lei",
        "position": "",
        "email": "li.lei@example.com",
        "phone": "+86 755 1234 5678",
    }
    assert data["institution"] == "Example Capital"
    assert data["sub_venues"] == ["AI sub-venue"]
    assert [change["to"] for change in data["status_changes"]] == ["approved"]
    text = response.content.decode()
    assert "someone.else@example.com" not in text
    assert "Stored Name Holdings" not in text


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Everything stored"), ("zh-hans", "存储")]
)
def test_readable_data_page(client, participation, language, heading):
    response = client.get(_url("data", participation, language))
    page = response.content.decode()
    assert response.status_code == 200
    assert heading in page
    assert "li.lei@example.com" in page
    assert "+86 755 1234 5678" in page
    assert "someone.else@example.com" not in page
    assert "no-store" in response["Cache-Control"]


def test_named_delegates_are_in_the_data_and_nobody_elses(client, participation):
    venue = participation.venues.get()
    delegate = DelegateFactory(
        participation=participation,
        name_zh="王明",
        name_en="Wang Ming",
        position="合伙人",
        mobile="+86 138 0013 8000",
    )
    delegate.venues.add(venue)
    DelegateFactory(participation=ParticipationFactory(event=participation.event), mobile="+86 139")
    data = json.loads(client.get(_url("data_json", participation)).content)
    assert data["named_delegates"] == [
        {
            "name_zh": "王明",
            "name_en": "Wang Ming",
            "position": "合伙人",
            "mobile": "+86 138 0013 8000",
            "category": delegate.category,
            "sub_venues": ["AI sub-venue"],
        }
    ]
    page = client.get(_url("data", participation, "zh-hans")).content.decode()
    assert "王明（Wang Ming），合伙人" in page
    assert "手机号码 +86 138 0013 8000" in page
    assert "+86 139" not in page


def test_erasure_is_asked_then_confirmed_by_staff_and_answered_by_email(
    client, admin_client, participation, django_capture_on_commit_callbacks
):
    confirm = client.get(_url("erase", participation))
    assert confirm.status_code == 200
    assert client.post(_url("erase", participation)).status_code == 302
    client.post(_url("erase", participation))  # asking twice makes one request
    erasure_request = ErasureRequest.objects.get()
    participation.refresh_from_db()
    assert participation.contact_email == "li.lei@example.com"  # nothing erased before staff
    assert "Erasure requested on" in client.get(_url("status", participation)).content.decode()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:registrations_erasurerequest_changelist"),
            {"action": "confirm_erasure", "_selected_action": [erasure_request.pk]},
            follow=True,
        )
    assert "Personal data erased for 1 request" in response.content.decode()
    participation.refresh_from_db()
    assert participation.contact_email.endswith(f"@{ERASED_DOMAIN}")
    assert participation.contact_phone == ""
    assert not Participation.history.filter(contact_email="li.lei@example.com").exists()
    (answer,) = mail.outbox
    assert answer.to == ["li.lei@example.com"]
    assert "erased" in answer.subject
    erasure_request.refresh_from_db()
    assert erasure_request.erased_at is not None
    assert "was erased on" in client.get(_url("status", participation)).content.decode()


@pytest.mark.parametrize(
    ("language", "retention"), [("en", "erased 400 days after"), ("zh-hans", "400 天")]
)
def test_privacy_notice_states_the_configured_retention_and_contact(
    client, settings, language, retention
):
    from organizations.models import OrganizerContact

    settings.REGISTRATION_RETENTION_DAYS = 400
    OrganizerContact.objects.create(name_en="Promotion Office", email="privacy@organizer.example")
    with translation.override(language):
        page = client.get(reverse("registrations:privacy")).content.decode()
    notice = page[: page.index("<footer")]
    assert retention in notice
    assert "mailto:privacy@organizer.example" in notice


def test_retention_is_on_by_default():
    from config.settings import base

    assert base.REGISTRATION_RETENTION_DAYS == 365
