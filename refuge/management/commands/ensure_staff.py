"""make run: a first staff login on a new machine, its password shown once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a staff login exists. On first run, create a superuser with a generated "
        "password and print it once; afterwards, do nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        User = get_user_model()  # noqa: N806
        if User.objects.filter(is_superuser=True, is_active=True).exists():
            self.stdout.write("A staff login already exists; leaving it alone.")
            return
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                self.style.WARNING(
                    f"User {username!r} exists but is not an active superuser; "
                    f"run: manage.py createsuperuser"
                )
            )
            return
        password = secrets.token_urlsafe(15)
        User.objects.create_superuser(username=username, email="", password=password)
        bar = "=" * 60
        self.stdout.write(
            self.style.WARNING(
                f"\n{bar}\nCreated a staff login for /admin/ (shown only this once):\n"
                f"  username: {username}\n  password: {password}\n"
                f"Change it in the admin, or run: manage.py changepassword {username}\n{bar}\n"
            )
        )
