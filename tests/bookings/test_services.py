import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingEmail, BookingStatus, CancelledBy, EmailKind
from tests.bookings.conftest import book_data
from tests.bookings.factories import BookableEventFactory, BookingFactory, occurrence_of

pytestmark = pytest.mark.django_db(transaction=False)

HOUR = datetime.timedelta(hours=1)


def book(occurrence, now=None, **data):
    return services.booking_submit(
        occurrence=occurrence,
        data=book_data(**data),
        submission_key=uuid.uuid4(),
        privacy_notice_version="1.0",
        now=now,
    ).booking


def kinds(booking):
    return sorted(BookingEmail.objects.filter(booking=booking).values_list("kind", flat=True))


@pytest.fixture
def occurrence():
    return occurrence_of(BookableEventFactory(capacity=3))


def test_book_holds_places_then_the_link_confirms(occurrence, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(occurrence, places=2, access_needs="Step-free, please")
    assert booking.status == BookingStatus.HELD
    assert booking.hold_expires_at > timezone.now() + datetime.timedelta(minutes=29)
    assert services.places_left(occurrence=occurrence) == 1
    assert len(mail.outbox) == 1
    assert "/bookings/confirm/" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.booking_confirm_email(booking=booking) == BookingStatus.CONFIRMED
    booking.refresh_from_db()
    assert booking.confirmed_at
    assert booking.email_confirmed_at
    assert "confirmed" in mail.outbox[-1].subject
    # The link followed twice changes nothing and sends nothing.
    assert services.booking_confirm_email(booking=booking) == BookingStatus.CONFIRMED
    assert len(mail.outbox) == 2


def test_same_form_twice_books_once(occurrence):
    key = uuid.uuid4()
    for _ in range(2):
        services.booking_submit(
            occurrence=occurrence,
            data=book_data(),
            submission_key=key,
            privacy_notice_version="1.0",
        )
    assert Booking.objects.count() == 1


def test_same_address_again_gets_an_email_not_a_second_booking(occurrence):
    first = book(occurrence)
    outcome = services.booking_submit(
        occurrence=occurrence,
        data=book_data(email="AMIRA@example.org"),
        submission_key=uuid.uuid4(),
        privacy_notice_version="1.0",
    )
    assert outcome.result == "repeat"
    assert Booking.objects.count() == 1
    assert kinds(first) == ["already", "confirm"]


def test_full_date_puts_people_on_the_waiting_list(occurrence):
    book(occurrence, places=3, email="a@example.org")
    waiting = book(occurrence, email="b@example.org")
    assert waiting.status == BookingStatus.WAITING
    assert waiting.waiting_since is not None
    assert services.places_left(occurrence=occurrence) == 0


def test_an_expired_hold_lapses_and_its_place_goes_to_the_waiting_list(occurrence):
    now = timezone.now()
    hold = book(occurrence, places=3, email="a@example.org", now=now)
    waiting = book(occurrence, email="b@example.org", now=now)
    services.booking_confirm_email(booking=waiting, now=now)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITING  # still held for the first visitor
    later = now + datetime.timedelta(minutes=31)
    counts = services.expire_holds_and_offers(now=later)
    assert counts == {"holds lapsed": 1, "offers lapsed": 0, "offers made": 1}
    hold.refresh_from_db()
    waiting.refresh_from_db()
    assert hold.status == BookingStatus.LAPSED
    assert waiting.status == BookingStatus.OFFERED
    assert waiting.hold_expires_at == later + 24 * HOUR
    assert "offer" in kinds(waiting)


def test_a_late_confirmation_still_books_if_places_are_free(occurrence):
    now = timezone.now()
    hold = book(occurrence, now=now)
    later = now + datetime.timedelta(hours=2)
    assert services.booking_confirm_email(booking=hold, now=later) == BookingStatus.CONFIRMED


def test_a_late_confirmation_joins_the_waiting_list_when_full(occurrence):
    # The database's guard reads the real clock: the hold was made an hour ago.
    now = timezone.now()
    hold = book(occurrence, places=3, email="a@example.org", now=now - HOUR)
    book(occurrence, places=3, email="b@example.org", now=now)  # took the free places
    assert services.booking_confirm_email(booking=hold, now=now) == BookingStatus.WAITING


def test_waiting_list_is_first_come_first_served(occurrence):
    now = timezone.now()
    taken = BookingFactory(occurrence=occurrence, places=3)
    first = BookingFactory(occurrence=occurrence, waiting=True, waiting_since=now - HOUR)
    second = BookingFactory(occurrence=occurrence, waiting=True, waiting_since=now)
    services.booking_cancel(booking=taken, now=now)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BookingStatus.OFFERED
    assert second.status == BookingStatus.OFFERED  # three places came free
    assert first.offered_at == now


def test_a_bigger_booking_is_passed_over_for_one_that_fits(occurrence):
    taken = BookingFactory(occurrence=occurrence, places=1)
    BookingFactory(occurrence=occurrence, places=2)
    big = BookingFactory(occurrence=occurrence, waiting=True, places=3)
    small = BookingFactory(occurrence=occurrence, waiting=True, places=1)
    services.booking_cancel(booking=taken)
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == (BookingStatus.WAITING, BookingStatus.OFFERED)


def test_an_unanswered_offer_passes_to_the_next_person(occurrence):
    now = timezone.now()
    taken = BookingFactory(occurrence=occurrence, places=3)
    first = BookingFactory(occurrence=occurrence, waiting=True, waiting_since=now - HOUR)
    second = BookingFactory(occurrence=occurrence, waiting=True, waiting_since=now, places=3)
    services.booking_cancel(booking=taken, now=now)
    first.refresh_from_db()
    assert first.status == BookingStatus.OFFERED
    services.expire_holds_and_offers(now=now + 25 * HOUR)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == BookingStatus.LAPSED
    assert "lapsed" in kinds(first)
    assert second.status == BookingStatus.OFFERED
    # The lapsed offer cannot be accepted any more.
    assert not services.booking_accept_offer(booking=first, now=now + 25 * HOUR)


def test_offers_are_shorter_when_the_date_is_close():
    start = timezone.now() + 5 * HOUR
    event = BookableEventFactory(capacity=1, start=start, end=start + HOUR, booking_closes_hours=1)
    occurrence = occurrence_of(event)
    now = timezone.now()
    deadline = services.offer_deadline(occurrence=occurrence, now=now)
    assert deadline == start - HOUR  # booking's close, not 24 hours away
    # Less than half an hour before the close: no offer at all.
    assert (
        services.offer_deadline(
            occurrence=occurrence, now=start - 80 * 60 * datetime.timedelta(seconds=1)
        )
        is None
    )


def test_no_offer_once_the_date_has_started():
    start = timezone.now() + HOUR
    occurrence = occurrence_of(BookableEventFactory(capacity=1, start=start, end=start + HOUR))
    taken = BookingFactory(occurrence=occurrence)
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    services.booking_cancel(booking=taken, now=start + datetime.timedelta(minutes=5))
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITING


def test_who_cancels_is_never_offered_the_place_back(occurrence):
    mine = BookingFactory(occurrence=occurrence, places=3, email="me@example.org")
    # The same person also waits for more places with another booking.
    again = BookingFactory(occurrence=occurrence, waiting=True, email="ME@example.org")
    other = BookingFactory(occurrence=occurrence, waiting=True)
    services.booking_cancel(booking=mine)
    again.refresh_from_db()
    other.refresh_from_db()
    assert again.status == BookingStatus.WAITING
    assert other.status == BookingStatus.OFFERED


def test_accepting_an_offer_confirms(occurrence, django_capture_on_commit_callbacks):
    taken = BookingFactory(occurrence=occurrence, places=3)
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    services.booking_cancel(booking=taken)
    waiting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.booking_accept_offer(booking=waiting)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CONFIRMED
    # Pressed again (a double click): still the place is theirs, nothing sent twice.
    assert services.booking_accept_offer(booking=waiting)
    assert not BookingEmail.objects.filter(booking=waiting, kind=EmailKind.CONFIRMED).exists()


def test_change_places_within_capacity_and_the_cap(occurrence):
    booking = BookingFactory(occurrence=occurrence, places=1)
    BookingFactory(occurrence=occurrence, places=1)
    services.booking_change_places(booking=booking, places=2)
    booking.refresh_from_db()
    assert booking.places == 2
    with pytest.raises(services.BookingError, match="2 or fewer"):
        services.booking_change_places(booking=booking, places=3)
    with pytest.raises(services.BookingError):
        services.booking_change_places(booking=booking, places=0)
    # Fewer places offers the freed place to whoever waits.
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    services.booking_change_places(booking=booking, places=1)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED


def test_staff_cancel_with_a_message(occurrence, django_capture_on_commit_callbacks):
    booking = BookingFactory(occurrence=occurrence)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.booking_cancel(
            booking=booking, by=CancelledBy.STAFF, message="The room flooded; sorry."
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == CancelledBy.STAFF
    assert "The room flooded; sorry." in mail.outbox[-1].body
    assert not services.booking_cancel(booking=booking)


def test_availability_rules():
    now = timezone.now()
    start = now + 48 * HOUR
    event = BookableEventFactory(
        start=start,
        end=start + HOUR,
        booking_closes_hours=2,
        booking_opens_at=now + HOUR,
    )
    occurrence = occurrence_of(event)
    state = services.availability
    assert state(occurrence=occurrence, now=now) == services.Availability.NOT_OPEN_YET
    assert state(occurrence=occurrence, now=now + HOUR) == services.Availability.OPEN
    assert state(occurrence=occurrence, now=start - 2 * HOUR) == services.Availability.CLOSED
    assert state(occurrence=occurrence, now=start) == services.Availability.STARTED
    occurrence.is_cancelled = True
    assert state(occurrence=occurrence, now=now + HOUR) == services.Availability.CANCELLED
    with pytest.raises(services.BookingError):
        book(occurrence_of(event), now=now)


def test_reminders_go_once_at_the_right_time(occurrence):
    booking = BookingFactory(occurrence=occurrence)
    BookingFactory(occurrence=occurrence, waiting=True)
    start = occurrence.start
    assert services.send_reminders(now=start - 25 * HOUR) == 0
    assert services.send_reminders(now=start - 23 * HOUR) == 1
    assert services.send_reminders(now=start - 22 * HOUR) == 0
    assert kinds(booking) == [EmailKind.REMINDER]


def test_booked_inside_the_reminder_window_gets_no_separate_reminder():
    start = timezone.now() + 5 * HOUR
    occurrence = occurrence_of(BookableEventFactory(start=start, end=start + HOUR))
    booking = book(occurrence)
    services.booking_confirm_email(booking=booking)
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
    assert services.send_reminders() == 0


# ---------------------------------------------------------------- issue 15's fixes
def test_more_places_are_refused_while_people_wait_but_fewer_are_not(occurrence):
    from events.models import Occurrence

    mine = BookingFactory(occurrence=occurrence, places=2)
    BookingFactory(occurrence=occurrence, places=1)
    BookingFactory(occurrence=occurrence, waiting=True)
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=4)
    with pytest.raises(services.BookingError, match="waiting list"):
        services.booking_change_places(booking=mine, places=3)
    assert services.booking_change_places(booking=mine, places=1).places == 1


def test_a_waiting_booking_may_ask_for_more_places_behind_the_others(occurrence):
    BookingFactory(occurrence=occurrence, places=3)
    BookingFactory(occurrence=occurrence, waiting=True)
    mine = BookingFactory(occurrence=occurrence, waiting=True, places=1)
    assert services.booking_change_places(booking=mine, places=2).places == 2


def test_more_places_are_refused_once_booking_has_closed():
    start = timezone.now() + 48 * HOUR
    event = BookableEventFactory(start=start, end=start + HOUR, booking_closes_hours=24)
    mine = BookingFactory(occurrence=occurrence_of(event), places=2)
    closed = start - 12 * HOUR
    with pytest.raises(services.BookingError, match="closed"):
        services.booking_change_places(booking=mine, places=3, now=closed)
    assert services.booking_change_places(booking=mine, places=1, now=closed).places == 1


def test_accepting_an_offer_twice_is_still_success(occurrence):
    BookingFactory(occurrence=occurrence, places=2)
    offered = BookingFactory(occurrence=occurrence, offered=True)
    assert services.booking_accept_offer(booking=offered)
    assert services.booking_accept_offer(booking=offered)
    assert kinds(offered) == [EmailKind.CONFIRMED]


def test_check_in_and_undo_are_services_that_name_the_member_of_staff(
    occurrence, django_user_model
):
    staff = django_user_model.objects.create_user("door-staff", password="a-long-password-1")
    booking = BookingFactory(occurrence=occurrence)
    first = services.booking_check_in(booking=booking, occurrence=occurrence, by=staff)
    assert first.state == services.CheckInState.CHECKED_IN
    assert first.booking.checked_in_at is not None
    again = services.booking_check_in(booking=booking, occurrence=occurrence, by=staff)
    assert again.state == services.CheckInState.ALREADY
    assert again.booking.checked_in_at == first.booking.checked_in_at
    assert Booking.history.filter(id=booking.pk).latest().history_user == staff
    undone = services.booking_undo_check_in(booking=booking, by=staff)
    assert undone.state == services.CheckInState.UNDONE
    booking.refresh_from_db()
    assert booking.checked_in_at is None
    elsewhere = occurrence_of(BookableEventFactory())
    assert (
        services.booking_check_in(booking=booking, occurrence=elsewhere, by=staff).state
        == services.CheckInState.OTHER_DATE
    )
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    assert (
        services.booking_check_in(booking=waiting, occurrence=occurrence, by=staff).state
        == services.CheckInState.NOT_CONFIRMED
    )
