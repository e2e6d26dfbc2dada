"""Bookings: free places on an event's dates, a waiting list, and a venue told only to attendees."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Bookings")
