"""Daily: keep repeating events' dates stored two years ahead."""

from django.core.management.base import BaseCommand

from events.models import Event
from events.recurrence import HORIZON_DAYS, regenerate_occurrences


class Command(BaseCommand):
    help = (
        f"Regenerate the dates of every repeating event up to {HORIZON_DAYS} days from today. "
        "Run it daily (or at least monthly) from cron so open-ended rules keep their future "
        "dates listed."
    )

    def handle(self, *args, **options):
        total = 0
        events = Event.objects.exclude(rrule="")
        for event in events.iterator():
            total += regenerate_occurrences(event)
        self.stdout.write(
            self.style.SUCCESS(f"{events.count()} repeating events now have {total} dates.")
        )
