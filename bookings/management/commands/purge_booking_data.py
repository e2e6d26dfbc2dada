"""Daily: UK GDPR retention for bookings (docs/operations.md, "Bookings")."""

from django.core.management.base import BaseCommand

from bookings.services import purge_booking_data


class Command(BaseCommand):
    help = (
        "Delete booking data we no longer need: access needs BOOKING_ACCESS_NEEDS_DAYS after "
        "the date, bookings never confirmed after BOOKING_UNCONFIRMED_HOURS, and names and "
        "emails (with the venue release log) BOOKING_RETENTION_DAYS after the date. Keeps "
        "only anonymous counts per date. Run daily."
    )

    def handle(self, *args, **options):
        counts = purge_booking_data()
        summary = ", ".join(f"{reason}: {count}" for reason, count in counts.items())
        self.stdout.write(f"Purged booking data ({summary}).")
