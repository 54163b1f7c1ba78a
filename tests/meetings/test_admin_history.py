"""Who moved, marked or cancelled a meeting, or changed a profile, and when: the meetings'
admins keep their history, readable in English and in Chinese."""

import re

import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingProfile
from tests.forms import form_data

pytestmark = pytest.mark.django_db

CHINESE = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _history_page(client, obj, **headers) -> str:
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    page = client.get(url, **headers)
    assert page.status_code == 200
    return re.sub(r"\s+", " ", page.text)


def _change(field: str, old, new) -> str:
    """A line of the history's changes column."""
    return f"<strong>{field}:</strong> {old} &nbsp;&rarr;&nbsp;&nbsp;{new}"


@pytest.fixture
def draft(event, slots, investor, project, admin_user):
    services.preference_set(participation=project[0], target=investor[0], level=1)
    services.schedule_generate(event=event, by=admin_user)
    return Meeting.objects.get(status=Meeting.Status.DRAFT)


def test_moving_a_draft_to_another_table_is_recorded_with_who_and_what(
    admin_client, admin_user, django_user_model, draft
):
    other = draft.slot.round.table_set.exclude(pk=draft.table_id).get()
    admin_client.force_login(django_user_model.objects.create_superuser("planner"))
    url = reverse("admin:meetings_meeting_change", args=[draft.pk])
    data = form_data(admin_client.get(url).text, "meeting_form")
    data["table"] = [str(other.pk)]
    assert admin_client.post(url, data).status_code == 302

    moved, generated = Meeting.history.filter(id=draft.pk)[:2]
    assert (moved.table_id, moved.history_user.username) == (other.pk, "planner")
    assert generated.history_user == admin_user  # who ran the scheduler
    english = _history_page(admin_client, draft)

    assert _change("Table", draft.table, other) in english
    chinese = _history_page(admin_client, draft, **CHINESE)
    assert "planner" in chinese
    assert _change("桌", draft.table, other) in chinese


def test_publishing_then_marking_held_is_recorded(admin_client, admin_user, event, draft):
    changelist_settings = reverse("admin:meetings_meetingsettings_changelist")
    settings_pk = services.settings_for(event=event).pk
    admin_client.post(
        changelist_settings, {"action": "publish_schedule", "_selected_action": [settings_pk]}
    )
    admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "mark_held", "_selected_action": [draft.pk]},
    )

    statuses = list(
        Meeting.history.filter(id=draft.pk)
        .order_by("history_date", "history_id")
        .values_list("status", "history_user__username")
    )
    assert statuses[-2:] == [("accepted", admin_user.username), ("held", admin_user.username)]
    chinese = _history_page(admin_client, draft, **CHINESE)
    assert _change("状态", "已确认", "已举行") in chinese  # a choice by its label
    assert '<th scope="col">变更内容</th>' in chinese
    assert "None" not in chinese  # no reason was given; no answer time before the answer
    assert re.search(
        r"答复时间:</strong> – &nbsp;&rarr;&nbsp;&nbsp;\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", chinese
    )
    assert _change("状态", "排程草案", "已确认") in chinese


def test_a_profile_edit_and_hiding_are_recorded(admin_client, admin_user, investor):
    profile = MeetingProfile.objects.get(participation=investor[0])
    url = reverse("admin:meetings_meetingprofile_change", args=[profile.pk])
    data = form_data(admin_client.get(url).text, "meetingprofile_form")
    data["pitch_zh_hans"] = ["专注早期硬科技"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    admin_client.post(
        reverse("admin:meetings_meetingprofile_changelist"),
        {"action": "hide", "_selected_action": [profile.pk]},
    )

    hidden, edited = MeetingProfile.history.filter(id=profile.pk)[:2]
    assert (hidden.is_hidden, hidden.history_user) == (True, admin_user)
    assert (edited.pitch_zh_hans, edited.history_user) == ("专注早期硬科技", admin_user)
    chinese = _history_page(admin_client, profile, **CHINESE)
    assert admin_user.username in chinese
    assert "专注早期硬科技" in chinese
    assert _change("已隐藏", "否", "是") in chinese


def test_discarded_drafts_leave_no_versions(event, draft):
    services.schedule_generate(event=event)  # replaces the draft
    replacement = Meeting.objects.get()
    services.schedule_discard(event=event)
    assert not Meeting.history.filter(id__in=[draft.pk, replacement.pk]).exists()
