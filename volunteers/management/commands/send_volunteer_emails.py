"""Every minute or so: send the queued volunteer emails, retrying those that failed."""

from django.core.management.base import BaseCommand

from volunteers.services import send_queued_emails


class Command(BaseCommand):
    help = (
        "Send every volunteer email still queued (the mail server was down, say). "
        "Safe to run as often as you like: cron it every few minutes."
    )

    def handle(self, *args, **options):
        sent, failed = send_queued_emails()
        self.stdout.write(f"Volunteer emails: {sent} sent, {failed} still queued.")
        if failed:
            # A non-zero exit lets cron or a monitor notice a mail server that stays down.
            raise SystemExit(1)
