import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingSettings
from outbox.jobs import HEARTBEAT_LOST
from outbox.models import OutboundEmail, StaffJob
from tests.common.test_export import _export

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("slots")
def test_admin_generate_and_publish_schedule(
    admin_client, event, investor, project, django_capture_on_commit_callbacks
):
    services.preference_set(participation=project[0], target=investor[0], level=1)
    meeting_settings = MeetingSettings.objects.create(event=event)
    changelist = reverse("admin:meetings_meetingsettings_changelist")
    with django_capture_on_commit_callbacks(execute=True):  # the worker runs the job
        page = admin_client.post(
            changelist,
            {"action": "generate_schedule", "_selected_action": [meeting_settings.pk]},
            follow=True,
        )
    assert "the draft schedule is being generated" in page.text
    job = StaffJob.objects.get()
    job_page = admin_client.get(reverse("admin:outbox_staffjob_change", args=[job.pk]))
    assert "1 of 1 wished meetings placed" in job_page.text
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


def _generate(client, meeting_settings):
    return client.post(
        reverse("admin:meetings_meetingsettings_changelist"),
        {"action": "generate_schedule", "_selected_action": [meeting_settings.pk]},
        follow=True,
    )


@pytest.mark.usefixtures("slots")
def test_generate_action_queues_a_job_and_solves_nothing_in_the_request(
    admin_client, admin_user, event, investor, project
):
    services.preference_set(participation=project[0], target=investor[0], level=1)
    meeting_settings = MeetingSettings.objects.create(event=event)
    page = _generate(admin_client, meeting_settings)  # the job's task waits for the commit
    job = StaffJob.objects.get()
    assert (job.kind, job.status, job.params["event"]) == (
        "meetings.schedule_generate",
        "queued",
        event.pk,
    )
    assert job.created_by == admin_user
    assert reverse("admin:outbox_staffjob_change", args=[job.pk]) in page.text
    assert not Meeting.objects.exists()
    assert not event.schedule_runs.exists()


def test_generate_action_twice_queues_one_job(admin_client, event):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _generate(admin_client, meeting_settings)
    page = _generate(admin_client, meeting_settings)
    job = StaffJob.objects.get()
    assert "a draft schedule is already being generated" in page.text
    assert reverse("admin:outbox_staffjob_change", args=[job.pk]) in page.text


def test_generate_action_starts_again_after_an_interrupted_job(admin_client, event):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _generate(admin_client, meeting_settings)
    caches["progress"].clear()  # no news from a worker: only the start time counts
    StaffJob.objects.update(status="running", started_at=timezone.now() - HEARTBEAT_LOST * 2)
    _generate(admin_client, meeting_settings)
    assert list(StaffJob.objects.values_list("status", flat=True)) == ["queued", "running"]


def test_generate_action_starts_again_when_no_worker_took_the_queued_job(admin_client, event):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _generate(admin_client, meeting_settings)
    StaffJob.objects.update(created_at=timezone.now() - HEARTBEAT_LOST * 2)
    _generate(admin_client, meeting_settings)
    assert StaffJob.objects.filter(status="queued").count() == 2


def test_a_colleague_clicking_again_follows_the_job_already_under_way(admin_client, client, event):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _generate(admin_client, meeting_settings)
    job = StaffJob.objects.get()
    _staff(client, "change_meetingsettings")  # no right to see every staff job
    page = _generate(client, meeting_settings)
    link = reverse("admin:outbox_staffjob_change", args=[job.pk])
    assert link in page.text
    assert "Draft schedule: " in client.get(link).text
    assert StaffJob.objects.count() == 1


def test_staff_do_not_see_the_schedule_jobs_of_editions_they_may_not_change(
    admin_client, client, event
):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _generate(admin_client, meeting_settings)
    job = StaffJob.objects.get()
    _staff(client, "view_staffjob", "view_meetingsettings")
    assert client.get(reverse("admin:outbox_staffjob_change", args=[job.pk])).status_code == 302
    assert "Draft schedule: " not in client.get(reverse("admin:outbox_staffjob_changelist")).text


def _staff(client, *codenames):
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)


def test_generate_needs_the_right_to_change_the_meeting_settings(client, event):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _staff(client, "change_meetingsettings")
    _generate(client, meeting_settings)
    assert StaffJob.objects.get().kind == "meetings.schedule_generate"


@pytest.mark.usefixtures("slots")
@pytest.mark.parametrize("action", ["generate_schedule", "publish_schedule", "discard_schedule"])
def test_staff_who_may_only_see_the_meeting_settings_cannot_change_the_schedule(
    client, event, investor, project, action
):
    services.preference_set(participation=project[0], target=investor[0], level=1)
    meeting_settings = MeetingSettings.objects.create(event=event)
    services.schedule_generate(event=event)
    drafts = set(Meeting.objects.values_list("pk", "status"))
    assert drafts  # a draft to publish or discard
    _staff(client, "view_meetingsettings", "view_staffjob")
    client.post(
        reverse("admin:meetings_meetingsettings_changelist"),
        {"action": action, "_selected_action": [meeting_settings.pk]},
    )
    assert set(Meeting.objects.values_list("pk", "status")) == drafts
    assert not StaffJob.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_generate_is_refused_without_the_right(client, event):
    meeting_settings = MeetingSettings.objects.create(event=event)
    _staff(client, "view_staffjob", "view_meeting")
    assert _generate(client, meeting_settings).status_code == 403
    assert not StaffJob.objects.exists()
