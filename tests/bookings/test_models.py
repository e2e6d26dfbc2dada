import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.models import Booking, BookingStatus
from tests.bookings.factories import BookableEventFactory, BookingFactory, occurrence_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def occurrence():
    return occurrence_of(BookableEventFactory(capacity=5))


def test_str_never_shows_personal_data(occurrence):
    booking = BookingFactory(occurrence=occurrence, name="Amira Haddad")
    assert str(booking) == f"Booking #{booking.pk}"
    assert "Amira" not in str(booking)


def test_counting_takes_confirmed_offered_and_unexpired_holds(occurrence):
    now = timezone.now()
    confirmed = BookingFactory(occurrence=occurrence, places=2)
    offered = BookingFactory(occurrence=occurrence, offered=True)
    held = BookingFactory(occurrence=occurrence, held=True)
    BookingFactory(occurrence=occurrence, waiting=True)
    BookingFactory(occurrence=occurrence, status=BookingStatus.CANCELLED)
    expired = BookingFactory(
        occurrence=occurrence, held=True, hold_expires_at=now + datetime.timedelta(seconds=30)
    )
    bookings = Booking.objects.for_occurrence(occurrence)
    assert set(bookings.counting(now=now)) == {confirmed, offered, held, expired}
    # One second after the hold's end, it no longer counts.
    later = expired.hold_expires_at + datetime.timedelta(seconds=1)
    assert set(bookings.counting(now=later)) == {confirmed, offered, held}
    # At the exact moment it ends, it has ended.
    assert expired not in bookings.counting(now=expired.hold_expires_at)
    assert bookings.places_taken(now=now) == 5


def test_waiting_in_order_is_first_come_and_confirmed_only(occurrence):
    now = timezone.now()
    second = BookingFactory(occurrence=occurrence, waiting=True, waiting_since=now)
    first = BookingFactory(
        occurrence=occurrence, waiting=True, waiting_since=now - datetime.timedelta(minutes=5)
    )
    BookingFactory(occurrence=occurrence, waiting=True, email_confirmed_at=None)
    assert list(Booking.objects.for_occurrence(occurrence).waiting_in_order()) == [first, second]


def test_database_refuses_places_beyond_capacity(occurrence):
    BookingFactory(occurrence=occurrence, places=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(occurrence=occurrence, places=2)
    # Waiting, cancelled and expired holds take no places: the trigger lets them be.
    BookingFactory(occurrence=occurrence, places=4, waiting=True)
    BookingFactory(
        occurrence=occurrence,
        held=True,
        places=4,
        hold_expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    single = BookingFactory(occurrence=occurrence, places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=single.pk).update(places=2)
    # Fewer places is always fine.
    Booking.objects.filter(pk=single.pk).update(places=1)


def test_date_capacity_overrides_the_event(occurrence):
    occurrence.capacity = 1
    occurrence.save()
    BookingFactory(occurrence=occurrence)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(occurrence=occurrence)


@pytest.mark.usefixtures("staff_roles")
def test_booking_coordinator_group_exists_with_least_privilege():
    group = Group.objects.get(name="Booking coordinator")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {
        "view_booking",
        "change_booking",
        "view_access_needs",  # migration 0008
        "view_venuerelease",
        "view_bookingcount",
        "view_event",
        "view_occurrence",
    }
