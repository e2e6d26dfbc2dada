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


def dates_in_every_state(*, strand=None, **weekly) -> None:
    """Events whose dates show every state a list or the month grid draws: a weekly
    series with one date cancelled for a reason (with markup in it), an event called off
    as a whole, an all-day event and one over two days. `weekly` adds to the series."""
    strand = strand or StrandFactory()
    cancelled_day = soon(14).date()
    EventFactory(
        strand=strand,
        title="Weekly workshop",
        title_ar="ورشة أسبوعية",
        start=soon(7),
        rrule="FREQ=WEEKLY;COUNT=3",
        cancelled_dates=[cancelled_day],
        cancelled_reasons={cancelled_day.isoformat(): "The writer is <unwell>"},
        **weekly,
    )
    EventFactory(
        strand=strand,
        title="Called off",
        start=soon(8),
        status=EventStatus.CANCELLED,
        cancellation_reason="The hall flooded",
    )
    EventFactory(title="A day of readings", start=soon(9, hour=0), all_day=True)
    EventFactory(title="Over two days", start=soon(10, hour=20), end=soon(11, hour=2))
