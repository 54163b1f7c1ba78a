"""The staff job generating an edition's draft schedule, run as the worker would."""

import pytest
from django.urls import reverse
from django.utils import translation

from meetings import services
from meetings.models import Meeting
from outbox.jobs import job_run
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wish(slots, investor, project):
    """The project must meet the investor; the round has slots and tables for it."""
    services.preference_set(participation=project[0], target=investor[0], level=3)


def _run(event, user, capture, language="en"):
    with translation.override(language), capture(execute=True):
        job, started = services.schedule_generate_start(event=event, by=user)
    assert started
    job.refresh_from_db()
    return job


@pytest.mark.usefixtures("wish")
def test_job_places_the_drafts_and_records_the_report(
    admin_client, admin_user, event, django_capture_on_commit_callbacks
):
    job = _run(event, admin_user, django_capture_on_commit_callbacks)
    assert job.status == "done", job.error
    assert (job.result["pairs"], job.result["pairs_placed"], job.result["must_meet_placed"]) == (
        1,
        1,
        1,
    )
    run = event.schedule_runs.get()
    assert (job.result["run"], run.created_by) == (run.pk, admin_user)
    assert Meeting.objects.get().status == Meeting.Status.DRAFT
    assert job.result["summary"].startswith(
        "Venture Capital Day: 1 of 1 wished meetings placed (at most 1 possible); "
        "must-meets 1 of 1 (at most 1)"
    )
    page = admin_client.get(reverse("admin:outbox_staffjob_change", args=[job.pk])).text
    assert "1 of 1 wished meetings placed" in page


@pytest.mark.usefixtures("wish")
def test_job_reports_in_the_language_of_who_started_it(
    admin_user, event, django_capture_on_commit_callbacks
):
    job = _run(event, admin_user, django_capture_on_commit_callbacks, language="zh-hans")
    assert job.title == "排程草案：创投日"
    assert job.result["summary"].startswith("创投日：1 个意向洽谈中安排了 1 个")


def test_job_without_slots_fails_with_the_reason(admin_user, django_capture_on_commit_callbacks):
    job = _run(EventFactory(), admin_user, django_capture_on_commit_callbacks)
    assert job.status == "failed"
    assert job.error == "This edition has no meeting slots yet: add a meeting round first."
    assert job.result is None


@pytest.mark.usefixtures("wish")
def test_job_whose_task_is_run_twice_generates_once(admin_user, event):
    job, _started = services.schedule_generate_start(event=event, by=admin_user)
    assert job_run(job_pk=job.pk)["pairs_placed"] == 1
    assert job_run(job_pk=job.pk) == {"skipped": True}
    assert event.schedule_runs.count() == 1


def test_job_of_an_edition_deleted_meanwhile_says_so(
    admin_user, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with translation.override("zh-hans"):
        job, _started = services.schedule_generate_start(event=event, by=admin_user)
    event.delete()
    with django_capture_on_commit_callbacks(execute=True):
        pass
    job_run(job_pk=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "该届活动已不存在。")
