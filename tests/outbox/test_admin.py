"""The outbox admin: read-only list and detail, attempt log, re-send; staff job progress."""

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outbox.jobs import JobError, job_kind, job_start
from outbox.models import OutboundEmail, StaffJob
from tests.factories import EmailAttemptFactory, OutboundEmailFactory

pytestmark = pytest.mark.django_db
LIST = "/admin/outbox/outboundemail/"


def _staff(*codenames: str) -> User:
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def test_list_and_detail_query_counts_do_not_grow(admin_client):
    email = EmailAttemptFactory().email
    EmailAttemptFactory(email=email, number=2)
    _queries(admin_client, f"{LIST}{email.pk}/change/")  # warm the caches (content types)
    few = _queries(admin_client, LIST), _queries(admin_client, f"{LIST}{email.pk}/change/")
    for _ in range(30):
        EmailAttemptFactory(email=EmailAttemptFactory().email, number=2)
    for number in range(3, 9):
        EmailAttemptFactory(email=email, number=number)
    many = _queries(admin_client, LIST), _queries(admin_client, f"{LIST}{email.pk}/change/")
    assert few == many


def test_detail_shows_attempts_and_is_read_only(admin_client):
    attempt = EmailAttemptFactory()
    page = admin_client.get(f"{LIST}{attempt.email.pk}/change/").text
    assert "ConnectionRefusedError" in page
    assert "Temporary failure" in page
    assert 'name="_save"' not in page
    assert admin_client.get(f"{LIST}add/").status_code == 403


def test_resend_action_queues_failed_emails_only(admin_client, django_capture_on_commit_callbacks):
    failed = OutboundEmailFactory(status="failed", attempts=8, max_attempts=8)
    sent = OutboundEmailFactory(status="sent", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            LIST,
            {"action": "resend", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 e-mail queued again." in response.text
    assert "1 e-mail was not failed and was left alone." in response.text
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.max_attempts) == ("sent", 9, 9)
    sent.refresh_from_db()
    assert sent.attempts == 1


def test_viewer_without_resend_right_cannot_resend(client):
    client.force_login(_staff("view_outboundemail"))
    failed = OutboundEmailFactory(status="failed", attempts=8)
    assert client.get(LIST).status_code == 200
    response = client.post(LIST, {"action": "resend", "_selected_action": [failed.pk]})
    assert response.status_code == 200  # "no action selected": the action is not offered
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_no_access_without_view_right(client):
    client.force_login(_staff())
    assert client.get(LIST).status_code == 403


@job_kind("tests.count", label="Count rows")
def _count(job, progress):
    total = job.params["rows"]
    for done in range(1, total + 1):
        progress(done, total, f"row {done}")
    if job.params.get("fail"):
        raise ValueError("bad row 3")
    if job.params.get("refuse"):
        raise JobError("Nothing to count.")
    return {"rows": total}


def test_staff_job_runs_with_progress_and_shows_the_result(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count", created_by=admin_user, params={"rows": 3})
    job.refresh_from_db()
    assert (job.status, job.result, job.progress_done, job.progress_total) == (
        "done",
        {"rows": 3},
        3,
        3,
    )
    progress = admin_client.get(f"/admin/outbox/staffjob/{job.pk}/progress/").json()
    assert (progress["done"], progress["total"], progress["status"]) == (3, 3, "done")
    page = admin_client.get(f"/admin/outbox/staffjob/{job.pk}/change/").text
    assert "<progress" in page
    assert "staffjob_progress.js" in page


def test_failing_staff_job_records_the_error(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count", created_by=admin_user, params={"rows": 5, "fail": 1})
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "ValueError: bad row 3"


def test_staff_job_refused_by_its_work_records_the_message_alone(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="tests.count", created_by=admin_user, params={"rows": 1, "refuse": 1})
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", "Nothing to count.")


def test_staff_jobs_of_others_are_hidden_from_non_superusers(client, admin_user):
    job = StaffJob.objects.create(kind="tests.count", created_by=admin_user)
    client.force_login(_staff("view_staffjob"))
    assert client.get(f"/admin/outbox/staffjob/{job.pk}/progress/").status_code == 404
    assert client.get(f"/admin/outbox/staffjob/{job.pk}/download/").status_code == 404


def test_unknown_job_kind_is_refused():
    with pytest.raises(ValueError, match="Unknown job kind"):
        job_start(kind="nope")
    assert not OutboundEmail.objects.exists()


def test_a_failed_staff_job_reads_failed_not_sending_failed_in_chinese(
    admin_client, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job_start(kind="tests.count", created_by=admin_user, params={"rows": 1, "refuse": 1})
    page = admin_client.get("/admin/outbox/staffjob/", HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "失败" in page
    assert "发送失败" not in page  # an e-mail's status, not a job's


def test_staff_jobs_are_listed_and_filtered_by_the_name_of_their_kind(admin_client, admin_user):
    backup = job_start(kind="backoffice.backup", created_by=admin_user)
    job_start(kind="tests.count", created_by=admin_user, params={"rows": 1})
    chinese = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
    listed = admin_client.get("/admin/outbox/staffjob/?kind=backoffice.backup", **chinese).text
    assert listed.count('<td class="field-kind_label">备份</td>') == 1
    assert '<td class="field-kind_label">Count rows</td>' not in listed  # filtered out
    page = admin_client.get(f"/admin/outbox/staffjob/{backup.pk}/change/", **chinese).text
    assert "备份" in page
    assert "backoffice.backup" not in page
