"""Booking emails: built when sent, the address only where it belongs, nothing at rest."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from bookings import services
from bookings.emails import send_booking_emails
from bookings.models import BookingEmail, EmailKind, ReleaseChannel, VenueRelease
from bookings.tokens import read_checkin_token
from tests.bookings.factories import BookingFactory, PrivateVenueEventFactory, occurrence_of

pytestmark = pytest.mark.django_db

SECRET = "Secret Row"
HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def private_occurrence():
    return occurrence_of(PrivateVenueEventFactory())


def outbox_rows_text() -> str:
    """Everything the outbox table holds, as the database stores it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM bookings_bookingemail")
        return repr(cursor.fetchall())


def calendar_of(message) -> icalendar.Calendar:
    for attachment in message.attachments:
        if attachment.get_content_type() == "text/calendar":
            assert attachment.get_param("method") == "PUBLISH"
            return icalendar.Calendar.from_ical(attachment.get_content())
    raise AssertionError("no calendar attached")


@pytest.mark.parametrize("kind", EmailKind.values)
def test_every_kind_renders(kind, private_occurrence):
    booking = BookingFactory(occurrence=private_occurrence)
    if kind == EmailKind.OFFER:
        booking = BookingFactory(occurrence=private_occurrence, offered=True)
    BookingEmail.objects.create(booking=booking, kind=kind, details={"by": "staff"})
    assert send_booking_emails() == (1, 0)
    message = mail.outbox[-1]
    assert message.to == [booking.email]
    assert booking.name in message.body
    assert "{%" not in message.body
    assert message.subject
    html = message.alternatives[0].content
    assert "<p>" in html


def test_confirmation_carries_the_withheld_address_calendar_and_qr(private_occurrence):
    booking = BookingFactory(occurrence=private_occurrence, places=2)
    email = services.queue_email(booking=booking, kind=EmailKind.CONFIRMED)
    assert SECRET not in outbox_rows_text()
    assert send_booking_emails(ids=[email.pk]) == (1, 0)
    message = mail.outbox[-1]
    assert SECRET in message.body
    assert SECRET in message.alternatives[0].content
    event = calendar_of(message).walk("VEVENT")[0]
    assert SECRET in str(event["LOCATION"])
    assert str(event["UID"]) == f"booking-{booking.public_id}@refuge-portal"
    qr = [part for part in message.attachments if part.get_content_type() == "image/png"]
    assert qr
    assert qr[0]["Content-ID"] == "<checkin-code>"
    release = VenueRelease.objects.get(booking=booking)
    assert release.channel == ReleaseChannel.CONFIRMATION
    assert not BookingEmail.objects.exists()  # deleted once sent


def test_address_released_later_is_not_in_the_confirmation(private_occurrence):
    event = private_occurrence.event
    event.venue_release_hours = 2
    event.save()
    booking = BookingFactory(occurrence=private_occurrence)
    services.queue_email(booking=booking, kind=EmailKind.CONFIRMED)
    send_booking_emails()
    message = mail.outbox[-1]
    assert SECRET not in message.body
    assert "we will email it to you" in message.body
    assert "LOCATION:Venue announced on booking" in calendar_of(message).to_ical().decode()
    assert not VenueRelease.objects.exists()
    # Two hours before, the venue details go out, with a new calendar revision.
    start = private_occurrence.start
    assert services.send_venue_details(now=start - 3 * HOUR) == 0
    assert services.send_venue_details(now=start - HOUR) == 1
    assert SECRET not in outbox_rows_text()
    send_booking_emails(now=start - HOUR)
    message = mail.outbox[-1]
    assert SECRET in message.body
    vevent = calendar_of(message).walk("VEVENT")[0]
    assert vevent["SEQUENCE"] == booking.occurrence.event.sequence + 1
    assert VenueRelease.objects.get().channel == ReleaseChannel.VENUE_DETAILS


def test_waiting_list_messages_never_carry_the_address(private_occurrence):
    booking = BookingFactory(occurrence=private_occurrence, waiting=True)
    for kind in (EmailKind.WAITING, EmailKind.WAITING_CHANGED, EmailKind.CONFIRM):
        services.queue_email(booking=booking, kind=kind)
    send_booking_emails()
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert SECRET not in message.body
        assert SECRET not in message.alternatives[0].content
    assert not VenueRelease.objects.exists()


def test_checkin_token_in_the_qr_resolves_to_the_booking(private_occurrence):
    from bookings.tokens import checkin_token

    booking = BookingFactory(occurrence=private_occurrence)
    assert read_checkin_token(checkin_token(booking)) == booking.public_id


def test_mail_down_keeps_the_email_queued(private_occurrence, settings, monkeypatch):
    booking = BookingFactory(occurrence=private_occurrence)
    services.queue_email(booking=booking, kind=EmailKind.CONFIRMED)

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError("smtp down; mentions 7 Secret Row")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    assert send_booking_emails() == (0, 1)
    row = BookingEmail.objects.get()
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    assert SECRET not in outbox_rows_text()
    assert not VenueRelease.objects.exists()
    monkeypatch.undo()
    assert send_booking_emails() == (1, 0)


def test_a_reminder_for_a_cancelled_booking_is_dropped(private_occurrence):
    booking = BookingFactory(occurrence=private_occurrence)
    services.queue_email(booking=booking, kind=EmailKind.REMINDER)
    booking.status = "cancelled"
    booking.cancelled_at = timezone.now()
    booking.save()
    assert send_booking_emails() == (0, 0)
    assert not BookingEmail.objects.exists()
    assert mail.outbox == []
