import datetime

import factory
from django.utils import timezone

from events.models import Event, EventStatus, EventType, LocationMode, Venue
from tests.programme.factories import StrandFactory

LONDON = timezone.get_default_timezone


def local(year, month, day, hour=0, minute=0) -> datetime.datetime:
    """An aware datetime in the programme's time zone (Europe/London)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON())


def soon(days=7, hour=18) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON())


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Hall {n}")
    address = "1 Elm Hill\nNorwich"
    postcode = "NR3 1HN"
    accessibility_notes = "Step-free entrance; hearing loop."


class EventFactory(factory.django.DjangoModelFactory):
    """A published one-off event at a venue, a week from now, free."""

    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "What happens."
    strand = factory.SubFactory(StrandFactory)
    event_type = EventType.WORKSHOP
    audiences = factory.LazyFunction(lambda: ["adults"])
    start = factory.LazyFunction(soon)
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=1, minutes=30))
    location = LocationMode.VENUE
    venue = factory.SubFactory(VenueFactory)
    status = EventStatus.PUBLISHED
    body = "<p>Come along.</p>"
    # A booking link means the event is booked elsewhere (bookings on the site say so).
    booking = factory.LazyAttribute(lambda o: "link" if o.booking_url else "none")
    booking_url = ""
