"""Daily: UK GDPR retention for volunteer applications (docs/operations.md)."""

from django.core.management.base import BaseCommand

from volunteers.services import purge_volunteer_data


class Command(BaseCommand):
    help = (
        "Delete volunteer applications we no longer need: unconfirmed ones after "
        "VOLUNTEER_UNCONFIRMED_DAYS, declined and withdrawn ones after "
        "VOLUNTEER_CLOSED_RETENTION_DAYS. Keeps only anonymous counts. Run daily."
    )

    def handle(self, *args, **options):
        counts = purge_volunteer_data()
        summary = ", ".join(f"{reason}: {count}" for reason, count in counts.items())
        self.stdout.write(f"Purged volunteer data ({summary}).")
