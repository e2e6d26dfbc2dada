"""Every few minutes: lapse run-out holds and offers, offer places, remind, send emails."""

from django.core.management.base import BaseCommand

from bookings import services
from bookings.emails import send_booking_emails


class Command(BaseCommand):
    help = (
        "Let run-out holds and offers lapse and offer their places to the waiting list; "
        "queue reminders and venue details that are due; send every queued booking email "
        "(retrying those that failed). Safe to run as often as you like: cron it every "
        "five minutes."
    )

    def handle(self, *args, **options):
        expired = services.expire_holds_and_offers()
        reminders = services.send_reminders()
        venues = services.send_venue_details()
        sent, failed = send_booking_emails()
        summary = ", ".join(f"{name}: {count}" for name, count in expired.items())
        self.stdout.write(
            f"Bookings: {summary}, reminders: {reminders}, venue details: {venues}; "
            f"emails: {sent} sent, {failed} still queued."
        )
        if failed:
            # A non-zero exit lets cron or a monitor notice a mail server that stays down.
            raise SystemExit(1)
