"""Case officers' reminders through the outbox (idempotent per day) and the dashboard's list."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from followup.models import Stage
from followup.services import followup_reminders_queue
from outbox.models import OutboundEmail
from tests.factories import FollowUpFactory, OfficeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user(
        "officer", email="officer@example.com", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Follow-up officers"))
    return user


def _due(officer, days_ago: int, **kwargs):
    office = OfficeFactory()
    office.members.add(officer)
    return FollowUpFactory(
        office=office,
        case_officer=officer,
        next_follow_up_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        **kwargs,
    )


def test_one_reminder_per_officer_and_day(officer):
    first = _due(officer, 3)
    second = _due(officer, 0)
    _due(officer, -2)  # not yet due
    _due(officer, 5, stage=Stage.TERMINATED)  # finished
    assert followup_reminders_queue() == 1
    assert followup_reminders_queue() == 0  # a second run that day queues nothing
    call_command("send_followup_reminders")
    email = OutboundEmail.objects.get()
    assert email.to == "officer@example.com"
    assert email.kind == "followup_reminder"
    assert first.reference in email.body_text
    assert second.reference in email.body_text
    assert "/admin/followup/followup/" in email.body_text
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert followup_reminders_queue(today=tomorrow) == 1


def test_dashboard_lists_overdue_followups_of_own_office(client, officer):
    mine = _due(officer, 3)
    theirs = FollowUpFactory(next_follow_up_on=timezone.localdate() - datetime.timedelta(days=9))
    client.force_login(officer)
    page = client.get(reverse("admin_dashboard")).text
    assert "Overdue follow-ups" in page
    assert mine.reference in page
    assert theirs.reference not in page


def test_officer_dashboard_shows_no_registrations(client, officer):
    client.force_login(officer)
    page = client.get(reverse("admin_dashboard")).text
    assert "Coming editions" not in page
    assert "Past editions" not in page
