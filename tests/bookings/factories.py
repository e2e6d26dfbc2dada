"""Factories for bookings: an event booked on the site, its date, and people's bookings."""

import datetime

import factory
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from events.models import BookingMode, LocationMode
from tests.events.factories import EventFactory


class BookableEventFactory(EventFactory):
    """A free, published one-off event a week from now, booked here, 20 places."""

    booking = BookingMode.PORTAL
    capacity = 20
    places_per_booking = 4
    is_free = True


class PrivateVenueEventFactory(BookableEventFactory):
    """The same, at a venue announced on booking (the address goes to attendees only)."""

    location = LocationMode.ON_BOOKING
    venue = factory.SubFactory(
        "tests.events.factories.VenueFactory",
        name="The Safe House",
        address="7 Secret Row\nNorwich",
        postcode="NR9 9ZZ",
    )


def occurrence_of(event):
    return event.occurrences.get()


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking for one place on a bookable event's only date."""

    class Meta:
        model = Booking

    occurrence = factory.LazyFunction(lambda: occurrence_of(BookableEventFactory()))
    name = factory.Sequence(lambda n: f"Visitor {n}")
    email = factory.Sequence(lambda n: f"visitor{n}@example.org")
    places = 1
    status = BookingStatus.CONFIRMED
    consent_given_at = factory.LazyFunction(timezone.now)
    privacy_notice_version = "1.0"
    email_confirmed_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)

    class Params:
        held = factory.Trait(
            status=BookingStatus.HELD,
            confirmed_at=None,
            email_confirmed_at=None,
            hold_expires_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(minutes=30)
            ),
        )
        waiting = factory.Trait(
            status=BookingStatus.WAITING,
            confirmed_at=None,
            waiting_since=factory.LazyFunction(timezone.now),
        )
        offered = factory.Trait(
            status=BookingStatus.OFFERED,
            confirmed_at=None,
            offered_at=factory.LazyFunction(timezone.now),
            waiting_since=factory.LazyFunction(timezone.now),
            hold_expires_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(hours=24)
            ),
        )
