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
