"""A registrant's data export (registrations' data page and JSON download) holds what meetings
store about the registration, and nothing of the other side beyond its institution's name."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import MeetingPreference, MeetingProfile
from outbox.models import OutboundEmail
from registrations.models import Participation
from registrations.privacy import personal_data_erase

from .conftest import side

pytestmark = pytest.mark.django_db

SENT = "We would like to hear about your robots."
PENDING = "Could we talk about your next round?"


@pytest.fixture
def meetings(event, slots, investor, project):
    """The investor's accepted request to the project and a pending one to another project."""
    investor_registration, (investor_delegate,) = investor
    project_registration, (project_delegate,) = project
    MeetingProfile.objects.filter(participation=investor_registration).update(
        pitch_zh_hans="早期硬科技投资", pitch_en="Early-stage deep tech"
    )
    Participation.objects.filter(pk=project_registration.pk).update(
        contact_email="robotics.ceo@example.com", contact_phone="+86 138 0000 1111"
    )
    project_delegate.name_en, project_delegate.mobile = "Zhang Wei", "+86 139 2222 3333"
    project_delegate.save(update_fields=["name_en", "mobile"])
    accepted = services.meeting_request(
        requester=investor_delegate, invitee=project_delegate, slot=slots[0], message=SENT
    )
    services.meeting_accept(meeting=accepted, participation=project_registration)
    other, (other_delegate,) = side(event, "project", name="Other Biotech")
    services.meeting_request(
        requester=investor_delegate, invitee=other_delegate, slot=slots[1], message=PENDING
    )
    services.preference_set(
        participation=investor_registration,
        target=other,
        level=MeetingPreference.Level.MUST,
    )
    return investor_registration, project_registration


def _url(name, participation, language="en"):
    with translation.override(language):
        return reverse(f"registrations:{name}", kwargs={"reference": participation.reference})


def _export(client, participation) -> dict:
    return json.loads(client.get(_url("data_json", participation)).content)["meetings"]


def test_export_holds_the_profile_the_requests_with_their_messages_and_the_meetings(
    client, meetings, slots
):
    investor, _project = meetings
    exported = _export(client, investor)
    assert exported["profile"]["side"] == "investor"
    assert exported["profile"]["pitch"] == {
        "en": "Early-stage deep tech",
        "zh-hans": "早期硬科技投资",
    }
    accepted, pending = exported["meetings"]
    assert accepted["status"] == "accepted"
    assert accepted["request"] == "sent"
    assert accepted["table"] == 1
    assert accepted["counterpart_institution"] == "Example Robotics"
    assert accepted["message"] == SENT
    assert datetime.datetime.fromisoformat(accepted["starts_at"]) == slots[0].starts_at
    assert (pending["status"], pending["message"]) == ("pending", PENDING)
    assert pending["counterpart_institution"] == "Other Biotech"
    assert exported["preferences"] == [{"institution": "Other Biotech", "level": 3}]


def test_export_shows_a_received_request_to_the_invited_side(client, meetings):
    _investor, project = meetings
    (received,) = _export(client, project)["meetings"]
    assert received["request"] == "received"
    assert received["message"] == SENT
    assert received["counterpart_institution"] == "Example Capital"


def test_export_leaks_nothing_personal_of_the_other_side(client, meetings):
    investor, _project = meetings
    download = client.get(_url("data_json", investor)).content.decode()
    page = client.get(_url("data", investor)).content.decode()
    for text in (download, page):
        assert "Example Robotics" in text
        for private in ("robotics.ceo@example.com", "+86 138 0000 1111", "Zhang Wei", "+86 139"):
            assert private not in text


def test_another_registrants_export_shows_none_of_it(client, event, meetings):
    stranger, _people = side(event, "project", name="Stranger Robotics")
    exported = _export(client, stranger)
    assert exported["meetings"] == []
    assert exported["preferences"] == []
    page = client.get(_url("data", stranger)).content.decode()
    for text in (SENT, PENDING, "Example Capital", "Example Robotics", "Early-stage deep tech"):
        assert text not in page


def test_registration_without_a_profile_exports_an_empty_part(client, event):
    participation, _people = side(event, "project", name="No Profile")
    MeetingProfile.objects.filter(participation=participation).delete()
    assert _export(client, participation) == {
        "profile": None,
        "meetings": [],
        "preferences": [],
        "emails_sent": [],
    }


def test_erased_registration_exports_no_message_nor_name(client, meetings):
    investor, project = meetings
    delegate_name = investor.delegate_list.get().name_en
    personal_data_erase(references=[investor.reference])
    for participation in (investor, project):
        download = client.get(_url("data_json", participation)).content.decode()
        page = client.get(_url("data", participation)).content.decode()
        for text in (download, page):
            assert SENT not in text
            assert PENDING not in text
            assert delegate_name not in text
    assert [meeting["message"] for meeting in _export(client, investor)["meetings"]] == ["", ""]


def test_export_lists_the_emails_about_meetings_sent_to_the_contact(client, meetings):
    _investor, project = meetings
    emails = _export(client, project)["emails_sent"]
    assert [email["to"] for email in emails] == ["robotics.ceo@example.com"]  # the request
    sent = OutboundEmail.objects.get(kind="meeting_requested", to="robotics.ceo@example.com")
    assert emails[0]["subject"] == sent.subject
    page = client.get(_url("data", project, "zh-hans")).content.decode()
    assert "洽谈相关邮件" in page
    assert f"：{emails[0]['subject']} → robotics.ceo@example.com" in page  # full-width colon


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "zh-hans",
            ["洽谈与申请", "您发出的申请", "已确认", "必须见面", "人工智能", "早期硬科技投资"],
        ),
        (
            "en",
            ["Meetings and requests", "Request you sent", "Confirmed", "Must meet", "Table 1"],
        ),
    ],
)
def test_data_page_shows_the_meetings_in_both_languages(client, meetings, language, texts):
    investor, _project = meetings
    page = client.get(_url("data", investor, language)).content.decode()
    for text in [*texts, "Example Robotics", "Other Biotech", SENT, PENDING]:
        assert text in page


@pytest.mark.parametrize("size", [1, 3])
def test_data_page_query_count_is_constant(
    client, slots, investor, django_assert_num_queries, size
):
    registration, (delegate,) = investor
    for index in range(size):
        _other, (invitee,) = side(registration.event, "project", name=f"Robotics {index}")
        services.meeting_request(requester=delegate, invitee=invitee, slot=slots[index])
    with django_assert_num_queries(17):
        page = client.get(_url("data", registration))
    assert page.content.decode().count("Robotics ") == size
