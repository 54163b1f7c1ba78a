from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from backoffice.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded media into a folder (default: backups/<time>)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path)

    def handle(self, *args, output: Path | None, **options):
        folder = output or Path("backups") / timezone.localtime().strftime("%Y%m%d-%H%M%S")
        try:
            files = backup_create(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for path in files:
            self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}."))
