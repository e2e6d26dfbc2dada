"""Bookings: free places on an event's dates, a waiting list, and a venue told only to attendees."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")

    def ready(self):
        from bookings.services import occurrences_changed_receiver
        from events.signals import occurrences_changed

        occurrences_changed.connect(
            occurrences_changed_receiver, dispatch_uid="bookings.occurrences_changed"
        )
