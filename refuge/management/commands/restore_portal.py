"""Restore a backup folder onto a new, empty database (refuge/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from refuge.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup folder (database and media) into the configured database."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="A folder written by backup_portal.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, backup, yes, **options):
        if not yes:
            answer = input("This replaces the database's contents and media. Type 'restore': ")
            if answer.strip() != "restore":
                raise CommandError("Cancelled.")
        try:
            restore(Path(backup))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {backup}"))
