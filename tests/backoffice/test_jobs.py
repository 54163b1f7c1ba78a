"""Back-office staff jobs: a backup started from the job list."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from outbox.models import StaffJob

pytestmark = pytest.mark.django_db


# A backup of SQLite copies the database through the test's connection: no open transaction.
@pytest.mark.django_db(transaction=True)
def test_superuser_starts_a_backup_from_the_job_list(admin_client, settings, tmp_path):
    settings.BACKUP_ROOT = tmp_path / "backups"
    page = admin_client.get(reverse("admin:outbox_staffjob_changelist")).text
    assert "Back up now" in page
    # Outside a transaction the job runs as soon as it is enqueued (immediate backend).
    response = admin_client.post(reverse("admin:outbox_staffjob_start", args=["backoffice.backup"]))
    job = StaffJob.objects.get()
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done", job.error
    folder = (tmp_path / "backups").iterdir().__next__()
    assert (folder / "database.dump").stat().st_size > 0
    assert str(folder) in job.result["summary"]


def test_staff_without_superuser_cannot_start_a_backup(client):
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_staffjob"))
    client.force_login(user)
    assert "Back up now" not in client.get(reverse("admin:outbox_staffjob_changelist")).text
    url = reverse("admin:outbox_staffjob_start", args=["backoffice.backup"])
    assert client.post(url).status_code == 403
    assert not StaffJob.objects.exists()
