"""The cron jobs: run_bookings (every few minutes) and purge_booking_data (daily)."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bookings import services
from bookings.emails import send_booking_emails
from bookings.models import (
    Booking,
    BookingCount,
    BookingEmail,
    BookingStatus,
    ReleaseChannel,
    VenueRelease,
)
from tests.bookings.factories import (
    BookableEventFactory,
    BookingFactory,
    PrivateVenueEventFactory,
    occurrence_of,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def test_run_bookings_lapses_holds_offers_the_place_and_sends(capsys):
    occurrence = occurrence_of(BookableEventFactory(capacity=1))
    now = timezone.now()
    hold = BookingFactory(occurrence=occurrence, held=True, hold_expires_at=now - HOUR)
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    call_command("run_bookings")
    hold.refresh_from_db()
    waiting.refresh_from_db()
    assert hold.status == BookingStatus.LAPSED
    assert waiting.status == BookingStatus.OFFERED
    assert [message.to for message in mail.outbox] == [[waiting.email]]
    assert "offer" in mail.outbox[0].subject.lower() or "free" in mail.outbox[0].subject
    assert "offers made: 1" in capsys.readouterr().out
    assert not BookingEmail.objects.exists()


def test_run_bookings_exits_non_zero_while_mail_is_down(monkeypatch):
    booking = BookingFactory()
    services.queue_email(booking=booking, kind="confirmed")

    def broken(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    with pytest.raises(SystemExit):
        call_command("run_bookings")
    assert BookingEmail.objects.get().attempts == 1


def test_time_driven_forward_through_a_booking_s_life():
    """Book, remind, release the address, then retention: each at its moment."""
    event = PrivateVenueEventFactory(capacity=2, reminder_hours=24, venue_release_hours=4)
    occurrence = occurrence_of(event)
    start = occurrence.start
    booking = BookingFactory(occurrence=occurrence, access_needs="Wheelchair user")
    attended = BookingFactory(occurrence=occurrence, checked_in_at=start)
    cancelled = BookingFactory(occurrence=occurrence, status=BookingStatus.CANCELLED)
    assert services.send_reminders(now=start - 25 * HOUR) == 0
    assert services.send_reminders(now=start - 23 * HOUR) == 2
    assert services.send_venue_details(now=start - 23 * HOUR) == 0
    send_booking_emails(now=start - 23 * HOUR)
    # The reminder went before the release time: it did not carry the address.
    reminders = [m for m in mail.outbox if "Reminder" in m.subject]
    assert len(reminders) == 2
    assert all("Secret Row" not in m.body for m in reminders)
    assert not VenueRelease.objects.exists()
    assert services.send_venue_details(now=start - 3 * HOUR) == 2
    send_booking_emails(now=start - 3 * HOUR)
    assert VenueRelease.objects.filter(channel=ReleaseChannel.VENUE_DETAILS).count() == 2

    # A week after the date, access needs go; names stay.
    services.purge_booking_data(now=occurrence.end + 6 * DAY)
    booking.refresh_from_db()
    assert booking.access_needs == "Wheelchair user"
    counts = services.purge_booking_data(now=occurrence.end + 8 * DAY)
    assert counts["access needs deleted"] == 1
    booking.refresh_from_db()
    assert booking.access_needs == ""
    # Ninety days after, everything goes but the counts.
    services.purge_booking_data(now=occurrence.end + 91 * DAY)
    assert not Booking.objects.filter(pk__in=[booking.pk, attended.pk, cancelled.pk]).exists()
    assert not VenueRelease.objects.exists()
    assert not Booking.history.exists()
    record = BookingCount.objects.get(occurrence=occurrence)
    assert (record.bookings, record.places, record.attended, record.cancelled) == (2, 2, 1, 1)


def test_unconfirmed_bookings_are_purged_after_a_while():
    occurrence = occurrence_of(BookableEventFactory())
    now = timezone.now()
    stale = BookingFactory(occurrence=occurrence, waiting=True, email_confirmed_at=None)
    Booking.objects.filter(pk=stale.pk).update(created_at=now - 49 * HOUR)
    fresh = BookingFactory(occurrence=occurrence, held=True)
    services.purge_booking_data(now=now)
    assert list(Booking.objects.all()) == [fresh]


def test_erase_a_person_everywhere():
    occurrence = occurrence_of(PrivateVenueEventFactory())
    mine = BookingFactory(occurrence=occurrence, email="me@example.org")
    other_date = BookingFactory(email="ME@example.org")
    kept = BookingFactory(occurrence=occurrence)
    VenueRelease.objects.create(booking=mine, channel=ReleaseChannel.MANAGE_PAGE)
    services.queue_email(booking=mine, kind="reminder")
    mine.places = 1
    mine.save()  # an audit history row
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    entry = LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Booking),
        object_id=str(mine.pk),
        object_repr="Booking of Me",
        action_flag=CHANGE,
        change_message="Changed name to Me",
    )
    assert services.booking_erase_person(email="me@example.org") == 2
    assert list(Booking.objects.all()) == [kept]
    assert not Booking.history.filter(id__in=[mine.pk, other_date.pk]).exists()
    assert not BookingEmail.objects.exists()
    assert not VenueRelease.objects.exists()
    entry.refresh_from_db()
    assert entry.object_repr == "(erased)"
    assert entry.change_message == ""
    assert BookingCount.objects.get(occurrence=occurrence).bookings == 1


def test_purge_command_runs(capsys):
    call_command("purge_booking_data")
    assert "Purged booking data" in capsys.readouterr().out
