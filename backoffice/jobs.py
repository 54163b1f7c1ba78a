"""Staff jobs of the back-office: a backup started from the admin (run by a worker)."""

from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop

from outbox.jobs import job_kind

from .backup import backup_create


@job_kind(
    "backoffice.backup",
    label=gettext_noop("Backup"),
    permission="superuser",
    start_label=gettext_noop("Back up now"),
)
def backup(job, progress) -> dict:
    """Write a backup (database and media) into BACKUP_ROOT/<time>; report its files."""
    folder = Path(settings.BACKUP_ROOT) / timezone.localtime().strftime("%Y%m%d-%H%M%S")
    progress(0, 2, "database")
    files = backup_create(folder=folder)
    progress(2, 2, "done")
    return {
        "summary": f"{folder}: "
        + ", ".join(f"{path.name} ({path.stat().st_size:,} bytes)" for path in files),
        "folder": str(folder),
    }
