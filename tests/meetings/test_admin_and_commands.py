import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingSettings
from outbox.models import OutboundEmail
from tests.common.test_export import _export

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
    assert "at every edition of the series" in figures.text


def test_admin_pages_open(admin_client, slots, investor, project):
    services.meeting_request(requester=investor[1][0], invitee=project[1][0], slot=slots[0])
    for name in ("meeting", "meetingprofile", "meetinground", "schedulerun"):
        assert admin_client.get(reverse(f"admin:meetings_{name}_changelist")).status_code == 200
    export = _export(admin_client, "meetings_meeting", "xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


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


def test_export_escapes_formulas(admin_client, slots, investor, project):
    services.meeting_request(
        requester=investor[1][0], invitee=project[1][0], slot=slots[0], message="=HYPERLINK(1)"
    )
    export = _export(admin_client, "meetings_meeting", "csv")
    text = export.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "Example Robotics" in text


@pytest.mark.usefixtures("investor")
def test_staff_move_a_draft_in_the_admin(admin_client, event, meeting_round, slots, project):
    investor = event.participations.exclude(pk=project[0].pk).get()
    services.preference_set(participation=investor, target=project[0], level=3)
    services.schedule_generate(event=event)
    draft = Meeting.objects.get()
    table = meeting_round.table_set.get(number=2)
    response = admin_client.post(
        reverse("admin:meetings_meeting_change", args=[draft.pk]),
        {"slot": slots[2].pk, "table": table.pk, "agreement": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.slot, draft.table, draft.status) == (slots[2], table, Meeting.Status.DRAFT)
    assert set(draft.seats.values_list("slot", flat=True)) == {slots[2].pk}
