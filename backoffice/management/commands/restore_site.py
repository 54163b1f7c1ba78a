from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backoffice.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database content and the media with those of a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm that the current data is to be replaced."
        )

    def handle(self, *args, folder: Path, yes: bool, **options):
        if not yes:
            raise CommandError("This replaces all current data and media: add --yes to confirm.")
        try:
            backup_restore(folder=folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored from {folder}."))
