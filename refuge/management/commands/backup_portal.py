"""Daily: back the database and media up into a new folder (refuge/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from refuge.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and uploaded media into a new folder (see docs/operations.md)."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", default="var/backups", help="Folder for backups.")

    def handle(self, *args, target, **options):
        try:
            folder = backup(Path(target))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
