import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingSettings
from outbox.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_admin_generate_and_publish_schedule(admin_client, event, slots, investor, project):
    services.preference_set(participation=project[0], target=investor[0], level=1)
    meeting_settings = MeetingSettings.objects.create(event=event)
    changelist = reverse("admin:meetings_meetingsettings_changelist")
    page = admin_client.post(
        changelist,
        {"action": "generate_schedule", "_selected_action": [meeting_settings.pk]},
        follow=True,
    )
    assert "1 of 1 wished meetings placed" in page.text
    assert Meeting.objects.get().status == Meeting.Status.DRAFT
    admin_client.post(
        changelist, {"action": "publish_schedule", "_selected_action": [meeting_settings.pk]}
    )
    assert Meeting.objects.get().status == Meeting.Status.ACCEPTED
    figures = admin_client.get(
        reverse("admin:meetings_meetingsettings_figures", args=[meeting_settings.pk])
    )
    assert "Meetings per slot" in figures.text


def test_admin_pages_open(admin_client, slots, investor, project):
    services.meeting_request(requester=investor[1][0], invitee=project[1][0], slot=slots[0])
    for name in ("meeting", "meetingprofile", "meetinground", "schedulerun"):
        assert admin_client.get(reverse(f"admin:meetings_{name}_changelist")).status_code == 200
    export = admin_client.post(
        reverse("admin:meetings_meeting_export"), {"format": "0", "resource": "0"}
    )
    assert export.status_code == 200


def test_agenda_command_is_idempotent(event, slots, investor, project):
    meeting = services.meeting_request(
        requester=investor[1][0], invitee=project[1][0], slot=slots[0]
    )
    services.meeting_accept(meeting=meeting, participation=project[0])
    days = (event.start_date - timezone.localdate()).days
    call_command("send_meeting_agendas", days=days)
    call_command("send_meeting_agendas", days=days)
    reminders = OutboundEmail.objects.filter(kind="meeting_reminder")
    assert reminders.count() == 2
    chinese = reminders.get(language="zh-hans")
    assert "明天的洽谈" in chinese.subject
    assert "1 号桌" in chinese.body_text


def test_agenda_command_expires_due_requests(event, slots, investor, project):
    meeting = services.meeting_request(
        requester=investor[1][0], invitee=project[1][0], slot=slots[0]
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("send_meeting_agendas")
    assert Meeting.objects.get().status == Meeting.Status.EXPIRED
