"""Importing institutions in the background: a staff job previews, another imports."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from organizations.models import Organization
from outbox.models import StaffJob
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin:organizations_organization_import_background")
HEADER = "name_en,name_zh_hans,kind,uscc,city_en"


def _csv(*lines: str, name: str = "institutions.csv", encoding: str = "utf-8") -> io.BytesIO:
    data = io.BytesIO("\n".join([HEADER, *lines]).encode(encoding))
    data.name = name
    return data


def _upload(client, upload, capture):
    with capture(execute=True):  # the job runs when the upload's transaction commits
        return client.post(URL, {"import_file": upload})


def test_preview_job_then_confirm_job_imports(admin_client, django_capture_on_commit_callbacks):
    OrganizationFactory(name_en="Beta Fund", uscc="")
    upload = _csv("Alpha Capital,阿尔法资本,vc_firm,,Shenzhen", "Beta Fund,,pe_firm,,Beijing")
    response = _upload(admin_client, upload, django_capture_on_commit_callbacks)
    preview = StaffJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:outbox_staffjob_change", args=[preview.pk])
    preview.refresh_from_db()
    assert preview.status == "done", preview.error
    assert preview.result["totals"] == {"new": 1, "update": 1}
    assert preview.result["ok"] is True
    assert Organization.objects.count() == 1  # the preview keeps nothing
    page = admin_client.get(response["Location"]).text
    assert "Confirm the import" in page
    assert "new: 1" in page

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin_client.post(
            reverse("admin:outbox_staffjob_next", args=[preview.pk]), follow=True
        )
    assert confirmed.status_code == 200
    job = StaffJob.objects.exclude(pk=preview.pk).get()
    assert (job.kind, job.status) == ("organizations.import", "done")
    assert Organization.objects.count() == 2
    assert Organization.objects.get(name_en="Beta Fund").city_en == "Beijing"
    # Once per preview: the button is gone and a second POST is refused.
    assert "Confirm the import" not in admin_client.get(response["Location"]).text
    again = admin_client.post(reverse("admin:outbox_staffjob_next", args=[preview.pk]))
    assert again.status_code == 403


def test_preview_with_errors_offers_no_import(admin_client, django_capture_on_commit_callbacks):
    upload = _csv("Alpha Capital,,vc_firm,,Shenzhen", "Bad Kind,,spaceship,,Shenzhen", ",,,,")
    _upload(admin_client, upload, django_capture_on_commit_callbacks)
    preview = StaffJob.objects.get()
    preview.refresh_from_db()
    assert preview.result["ok"] is False
    assert preview.result["error_count"] >= 2
    page = admin_client.get(reverse("admin:outbox_staffjob_change", args=[preview.pk])).text
    assert "spaceship" in page
    assert "Confirm the import" not in page
    assert (
        admin_client.post(reverse("admin:outbox_staffjob_next", args=[preview.pk])).status_code
        == 403
    )
    assert not Organization.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("institutions.exe", b"MZ", "Choose a .csv or .xlsx file."),
        ("institutions.xlsx", b"not a workbook", None),
        ("institutions.csv", "名称,类别\n".encode("utf-16"), None),
    ],
)
def test_hostile_files_are_refused_or_reported(
    admin_client, django_capture_on_commit_callbacks, name, content, message
):
    upload = io.BytesIO(content)
    upload.name = name
    response = _upload(admin_client, upload, django_capture_on_commit_callbacks)
    if message:
        assert response.status_code == 200
        assert message in response.text
        assert not StaffJob.objects.exists()
        return
    job = StaffJob.objects.get()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error
    assert not Organization.objects.exists()


def test_background_import_needs_the_add_right(client):
    user = User.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"import_file": _csv("Alpha,,vc_firm,,x")}).status_code == 403
    assert not StaffJob.objects.exists()


def test_large_xlsx_import_completes_in_a_job(admin_client, django_capture_on_commit_callbacks):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for number in range(2000):
        sheet.append([f"Institution {number:05d}", "", "vc_firm", "", "Shenzhen"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "large.xlsx"
    _upload(admin_client, data, django_capture_on_commit_callbacks)
    preview = StaffJob.objects.get()
    preview.refresh_from_db()
    assert (preview.progress_done, preview.progress_total) == (2000, 2000)
    assert len(preview.result["sample"]) == 50  # a summary, not 2,000 rows of diff
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:outbox_staffjob_next", args=[preview.pk]))
    assert Organization.objects.count() == 2000
