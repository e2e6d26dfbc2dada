"""What attendees are told when staff move, re-place or cancel a date (the signal's contract)."""

import datetime

import icalendar
import pytest
from django.core import mail

from bookings.emails import send_booking_emails
from bookings.models import Booking, BookingStatus, CancelledBy, ReleaseChannel, VenueRelease
from events.signals import occurrences_changed
from tests.bookings.factories import BookingFactory, PrivateVenueEventFactory, occurrence_of

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def calendar_of(message):
    for part in message.attachments:
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    return None


@pytest.fixture
def occurrence():
    return occurrence_of(PrivateVenueEventFactory())


def test_a_moved_date_tells_attendees_with_a_new_calendar_and_the_waiting_list_a_note(
    occurrence,
):
    confirmed = BookingFactory(occurrence=occurrence)
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    before = confirmed.calendar_sequence
    old_start = occurrence.start - 2 * HOUR
    occurrences_changed.send(
        sender=type(occurrence.event),
        event=occurrence.event,
        moved=[(occurrence.pk, old_start, old_start + HOUR)],
        cancelled=[],
        venue_changed=True,
    )
    send_booking_emails()
    by_address = {message.to[0]: message for message in mail.outbox}
    changed = by_address[confirmed.email]
    assert "Changed" in changed.subject
    assert "has moved" in changed.body
    assert "Secret Row" in changed.body
    vevent = calendar_of(changed)
    assert vevent["SEQUENCE"] > before
    assert VenueRelease.objects.get().channel == ReleaseChannel.CHANGE
    note = by_address[waiting.email]
    assert "Secret Row" not in note.body
    assert calendar_of(note) is None


def test_a_cancelled_date_cancels_bookings_and_tells_people(occurrence):
    confirmed = BookingFactory(occurrence=occurrence)
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    occurrences_changed.send(
        sender=type(occurrence.event),
        event=occurrence.event,
        moved=[],
        cancelled=[occurrence.pk],
        venue_changed=False,
    )
    send_booking_emails()
    assert set(Booking.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    assert set(Booking.objects.values_list("cancelled_by", flat=True)) == {CancelledBy.SYSTEM}
    assert {message.to[0] for message in mail.outbox} == {confirmed.email, waiting.email}
    assert all("date has been cancelled" in message.body for message in mail.outbox)
    # Nobody on the waiting list is offered a place on a cancelled date.
    assert not Booking.objects.filter(status=BookingStatus.OFFERED).exists()


def test_saving_the_event_with_another_venue_tells_attendees(
    occurrence, django_capture_on_commit_callbacks
):
    """End to end through the events app: a saved event sends the signal after commit."""
    from tests.events.factories import VenueFactory

    confirmed = BookingFactory(occurrence=occurrence)
    event = occurrence.event
    event.venue = VenueFactory(name="The Other House", address="3 Hidden Lane")
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    messages = [m for m in mail.outbox if m.to == [confirmed.email]]
    assert messages
    assert "3 Hidden Lane" in messages[-1].body


def _stop_booking(event, mode, django_capture_on_commit_callbacks, **fields):
    from events.models import BookingMode

    event.booking = getattr(BookingMode, mode)
    for name, value in fields.items():
        setattr(event, name, value)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    send_booking_emails()
    return {message.to[0]: message for message in mail.outbox}


def test_switching_to_a_booking_link_cancels_every_live_booking_and_says_where_to_book(
    client, occurrence, django_capture_on_commit_callbacks
):
    """Issue 15: booking on the site stopped (events.signals ``booking_stopped``)."""
    from django.urls import reverse

    from bookings import tokens

    confirmed = BookingFactory(occurrence=occurrence)
    offered = BookingFactory(occurrence=occurrence, offered=True)
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    held = BookingFactory(occurrence=occurrence, held=True)  # never confirmed their address
    ics = reverse(
        "bookings:ics",
        kwargs={"token": tokens.make_link_token(confirmed.public_id, tokens.CALENDAR)},
    )
    assert client.get(ics).status_code == 200
    told = _stop_booking(
        occurrence.event,
        "LINK",
        django_capture_on_commit_callbacks,
        booking_url="https://tickets.example/strangers",
    )
    for booking in (confirmed, offered, waiting, held):
        booking.refresh_from_db()
        assert (booking.status, booking.cancelled_by) == (
            BookingStatus.CANCELLED,
            CancelledBy.SYSTEM,
        )
    # Everyone who confirmed their address is told; the unconfirmed hold is not written to.
    assert set(told) == {confirmed.email, offered.email, waiting.email}
    for message in told.values():
        assert "no longer take bookings for this event on our site" in message.body
        assert "https://tickets.example/strangers" in message.body
        assert "https://tickets.example/strangers" in message.alternatives[0][0]
        assert "date has been cancelled" not in message.body
        assert "Secret Row" not in message.body + message.alternatives[0][0]
        assert calendar_of(message) is None
    assert "no longer on our site" in told[confirmed.email].subject
    # Nobody is offered a place on a date no longer booked here; the calendar file is gone.
    assert not Booking.objects.filter(status=BookingStatus.OFFERED).exists()
    assert client.get(ics).status_code == 410
    manage = reverse(
        "bookings:manage",
        kwargs={"token": tokens.make_link_token(confirmed.public_id, tokens.MANAGE)},
    )
    page = client.get(manage).content.decode()
    assert "We no longer take bookings for this event on our site." in page
    assert 'href="https://tickets.example/strangers"' in page
    assert "Book again" not in page


def test_switching_to_no_booking_cancels_bookings_and_points_to_the_event_page(
    django_capture_on_commit_callbacks,
):
    from tests.bookings.factories import BookableEventFactory

    occurrence = occurrence_of(BookableEventFactory())
    confirmed = BookingFactory(occurrence=occurrence)
    told = _stop_booking(occurrence.event, "NONE", django_capture_on_commit_callbacks)
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CANCELLED
    body = told[confirmed.email].body
    assert "no longer take bookings for this event on our site" in body
    assert "http://testserver" + occurrence.event.get_absolute_url() in body


def test_booking_stopped_leaves_past_dates_and_other_events_alone(occurrence):
    past_start = occurrence.start - 30 * 24 * HOUR
    past = occurrence_of(PrivateVenueEventFactory(start=past_start, end=past_start + HOUR))
    attended = BookingFactory(occurrence=past)
    mine = BookingFactory(occurrence=occurrence)
    occurrences_changed.send(sender=type(past.event), event=past.event, booking_stopped=True)
    attended.refresh_from_db()
    mine.refresh_from_db()
    assert attended.status == BookingStatus.CONFIRMED
    assert mine.status == BookingStatus.CONFIRMED
