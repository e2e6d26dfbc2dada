"""The visitor's pages: the form, the links from emails, the personal calendar file."""

import datetime
import time

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bookings import services, tokens
from bookings.models import Booking, BookingStatus, ReleaseChannel, VenueRelease
from events.models import EventStatus
from tests.bookings.factories import (
    BookableEventFactory,
    BookingFactory,
    PrivateVenueEventFactory,
    occurrence_of,
)

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
SECRET = "Secret Row"


def old_ticket(seconds_ago: float = 60, version: str = "1.0") -> str:
    ticket = tokens.FormTicket.issue(version)
    return tokens.FormTicket(ticket.key, time.time() - seconds_ago, version).dumps()


@pytest.fixture
def occurrence():
    return occurrence_of(BookableEventFactory(title="Letters to Europe", capacity=3))


@pytest.fixture
def form_data():
    return {
        "name": "Amira Haddad",
        "email": "amira@example.org",
        "places": "2",
        "access_needs": "A seat near the front",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }


def book_url(occurrence):
    return reverse("bookings:book", kwargs={"occurrence": occurrence.pk})


def link(booking, purpose, name):
    return reverse(name, kwargs={"token": tokens.make_link_token(booking.public_id, purpose)})


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


# ---------------------------------------------------------------- the booking page
def test_booking_page_shows_places_left_and_the_form(client, occurrence):
    BookingFactory(occurrence=occurrence)
    response = client.get(book_url(occurrence))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Letters to Europe" in html
    assert "2 places left" in html
    assert 'name="access_needs"' in html
    assert "deleted" in html.lower() or "delete it" in html
    assert_private(response)


def test_full_date_offers_the_waiting_list(client, occurrence):
    BookingFactory(occurrence=occurrence, places=3)
    html = client.get(book_url(occurrence)).content.decode()
    assert "Fully booked — join the waiting list" in html
    assert "Join the waiting list" in html


def test_booking_redirects_to_check_email_and_queues_the_link(
    client, occurrence, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(occurrence), form_data)
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:check_email")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.HELD
    assert booking.places == 2
    assert booking.access_needs == "A seat near the front"
    assert booking.privacy_notice_version == "1.0"
    assert "/bookings/confirm/" in mail.outbox[0].body
    page = client.get(response["Location"])
    assert "Check your email" in page.content.decode()
    assert_private(page)


def test_double_submit_books_once(client, occurrence, form_data):
    client.post(book_url(occurrence), form_data)
    client.post(book_url(occurrence), form_data)
    assert Booking.objects.count() == 1


def test_an_address_that_booked_before_sees_the_same_page(client, occurrence, form_data):
    first = client.post(book_url(occurrence), {**form_data, "places": "1"})
    again = client.post(book_url(occurrence), {**form_data, "places": "1", "ticket": old_ticket()})
    assert first["Location"] == again["Location"]
    assert Booking.objects.count() == 1


def test_errors_keep_the_input_and_are_summarised(client, occurrence, form_data):
    response = client.post(
        book_url(occurrence), {**form_data, "email": "not-an-email", "consent": ""}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_email"' in html
    assert 'href="#id_consent"' in html
    assert 'value="Amira Haddad"' in html
    assert "A seat near the front" in html
    assert not Booking.objects.exists()


def test_more_places_than_left_is_explained(client, occurrence, form_data):
    BookingFactory(occurrence=occurrence, places=2)
    response = client.post(book_url(occurrence), form_data)
    assert "Only 1 place is left" in response.content.decode()
    assert Booking.objects.count() == 1


def test_honeypot_looks_like_success_and_keeps_nothing(client, occurrence, form_data):
    response = client.post(book_url(occurrence), {**form_data, "website": "spam"})
    assert response.status_code == 302
    assert not Booking.objects.exists()


def test_too_fast_is_refused_kindly(client, occurrence, form_data):
    response = client.post(book_url(occurrence), {**form_data, "ticket": old_ticket(0)})
    assert "That was very quick!" in response.content.decode()
    assert not Booking.objects.exists()


def test_rate_limit(client, occurrence, form_data, settings):
    settings.BOOKINGS = {**settings.BOOKINGS, "RATE_LIMIT": 1}
    client.post(book_url(occurrence), form_data)
    response = client.post(book_url(occurrence), {**form_data, "ticket": old_ticket()})
    assert response.status_code == 429
    assert "Retry-After" in response


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"booking_opens_at": timezone.now() + 24 * HOUR}, "has not opened yet"),
        ({"booking_closes_hours": 24 * 30}, "has closed"),
        (
            {"start": timezone.now() - HOUR, "end": timezone.now() + HOUR},
            "has already started",
        ),
        (
            {"status": EventStatus.CANCELLED, "cancellation_reason": "Ill"},
            "has been cancelled",
        ),
    ],
)
def test_closed_dates_get_a_clear_page(client, form_data, change, text):
    occurrence = occurrence_of(BookableEventFactory(**change))
    response = client.get(book_url(occurrence))
    assert response.status_code == 200
    assert text in response.content.decode()
    assert 'name="email"' not in response.content.decode()
    posted = client.post(book_url(occurrence), form_data)
    assert posted.status_code == 409
    assert not Booking.objects.exists()


def test_past_date_is_closed(client):
    start = timezone.now() - 48 * HOUR
    occurrence = occurrence_of(BookableEventFactory(start=start, end=start + HOUR))
    assert "has already started" in client.get(book_url(occurrence)).content.decode()


def test_unpublished_or_unknown_dates_are_404(client):
    draft = occurrence_of(BookableEventFactory(status=EventStatus.DRAFT))
    assert client.get(book_url(draft)).status_code == 404
    assert client.get(reverse("bookings:book", kwargs={"occurrence": 999999})).status_code == 404


def test_event_not_booked_here_says_so(client):
    occurrence = occurrence_of(BookableEventFactory(booking="none", capacity=None))
    response = client.get(book_url(occurrence))
    assert response.status_code == 404
    assert "does not take bookings on this site" in response.content.decode()


# ---------------------------------------------------------------- links from emails
def test_confirm_link_asks_for_a_click_then_confirms(client, occurrence):
    booking = BookingFactory(occurrence=occurrence, held=True)
    url = link(booking, tokens.CONFIRM, "bookings:confirm")
    page = client.get(url)
    assert page.status_code == 200
    assert_private(page)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.HELD  # a mail scanner's GET changes nothing
    response = client.post(url)
    assert response.status_code == 302
    assert "/bookings/manage/" in response["Location"]
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_bad_and_expired_links(client, occurrence, settings):
    assert client.get(reverse("bookings:confirm", kwargs={"token": "nonsense"})).status_code == 400
    booking = BookingFactory(occurrence=occurrence, held=True)
    url = link(booking, tokens.CONFIRM, "bookings:confirm")
    settings.BOOKINGS = {**settings.BOOKINGS, "CONFIRM_LINK_DAYS": -1}
    assert client.get(url).status_code == 410
    # A confirm link never opens the manage page.
    wrong = reverse(
        "bookings:manage",
        kwargs={"token": tokens.make_link_token(booking.public_id, tokens.CONFIRM)},
    )
    assert client.get(wrong).status_code == 400
    booking.delete()
    settings.BOOKINGS = {**settings.BOOKINGS, "CONFIRM_LINK_DAYS": 7}
    assert client.get(url).status_code == 404


def test_manage_page_shows_the_withheld_address_only_when_confirmed(client):
    occurrence = occurrence_of(PrivateVenueEventFactory())
    booking = BookingFactory(occurrence=occurrence)
    url = link(booking, tokens.MANAGE, "bookings:manage")
    response = client.get(url)
    assert SECRET in response.content.decode()
    assert_private(response)
    assert VenueRelease.objects.get().channel == ReleaseChannel.MANAGE_PAGE
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    html = client.get(link(waiting, tokens.MANAGE, "bookings:manage")).content.decode()
    assert SECRET not in html
    assert "On the waiting list" in html
    assert VenueRelease.objects.count() == 1


def test_manage_change_places_and_cancel(client, occurrence):
    booking = BookingFactory(occurrence=occurrence)
    url = link(booking, tokens.MANAGE, "bookings:manage")
    client.post(url, {"action": "places", "places": "3"})
    booking.refresh_from_db()
    assert booking.places == 3
    response = client.post(url, {"action": "places", "places": "9"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.places == 3
    client.post(url, {"action": "cancel"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "Cancelled" in client.get(url).content.decode()


def test_manage_accept_an_offer(client, occurrence):
    booking = BookingFactory(occurrence=occurrence, offered=True)
    url = link(booking, tokens.MANAGE, "bookings:manage")
    assert "Accept the place" in client.get(url).content.decode()
    client.post(url, {"action": "accept"})
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# ---------------------------------------------------------------- the personal calendar
def calendar_response(client, booking):
    return client.get(link(booking, tokens.CALENDAR, "bookings:ics"))


def test_personal_calendar(client):
    occurrence = occurrence_of(PrivateVenueEventFactory())
    booking = BookingFactory(occurrence=occurrence, sequence=2)
    response = calendar_response(client, booking)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["UID"]) == f"booking-{booking.public_id}@refuge-portal"
    assert vevent["SEQUENCE"] == occurrence.event.sequence + 2
    assert SECRET in str(vevent["LOCATION"])
    assert VenueRelease.objects.get().channel == ReleaseChannel.CALENDAR
    # The same UID every time.
    again = icalendar.Calendar.from_ical(calendar_response(client, booking).content)
    assert again.walk("VEVENT")[0]["UID"] == vevent["UID"]


def test_personal_calendar_without_entitlement_has_no_address(client):
    occurrence = occurrence_of(PrivateVenueEventFactory(venue_release_hours=2))
    booking = BookingFactory(occurrence=occurrence)
    vevent = icalendar.Calendar.from_ical(calendar_response(client, booking).content).walk(
        "VEVENT"
    )[0]
    assert SECRET not in str(vevent["LOCATION"])
    assert not VenueRelease.objects.exists()


def test_personal_calendar_is_gone_once_cancelled_or_over(client):
    occurrence = occurrence_of(PrivateVenueEventFactory())
    booking = BookingFactory(occurrence=occurrence)
    services.booking_cancel(booking=booking)
    assert calendar_response(client, booking).status_code == 410
    start = timezone.now() - 3 * HOUR
    past = occurrence_of(PrivateVenueEventFactory(start=start, end=start + HOUR))
    assert calendar_response(client, BookingFactory(occurrence=past)).status_code == 410
    waiting = BookingFactory(occurrence=occurrence, waiting=True)
    assert calendar_response(client, waiting).status_code == 410


@pytest.mark.parametrize("bookings", [1, 15])
def test_booking_page_queries_do_not_grow_with_bookings(
    client, django_assert_max_num_queries, bookings
):
    occurrence = occurrence_of(BookableEventFactory(capacity=40))
    for _ in range(bookings):
        BookingFactory(occurrence=occurrence)
    with django_assert_max_num_queries(12):
        response = client.get(book_url(occurrence))
    assert "places left" in response.content.decode()


# ---------------------------------------------------------------- changing places (issue 15)
def places_choices(html: str) -> list[str]:
    import re

    select = re.search(r'<select name="places".*?</select>', html, re.S)
    return re.findall(r'<option value="(\d+)"', select.group()) if select else []


def test_manage_page_offers_no_more_places_while_people_wait(client, occurrence):
    from events.models import Occurrence

    mine = BookingFactory(occurrence=occurrence, places=2)
    BookingFactory(occurrence=occurrence, places=1)
    url = link(mine, tokens.MANAGE, "bookings:manage")
    assert places_choices(client.get(url).content.decode()) == ["1", "2", "3"]
    BookingFactory(occurrence=occurrence, waiting=True)
    Occurrence.objects.filter(pk=occurrence.pk).update(capacity=5)
    html = client.get(url).content.decode()
    assert places_choices(html) == ["1", "2"]
    assert "People are on the waiting list for this date" in html
    # Asked anyway (an old page): refused, with the reason on the page.
    page = client.post(url, {"action": "places", "places": "3"}, follow=True).content.decode()
    mine.refresh_from_db()
    assert mine.places == 2
    assert "we cannot add places to your booking" in page
    # Fewer is still fine.
    client.post(url, {"action": "places", "places": "1"})
    mine.refresh_from_db()
    assert mine.places == 1


def test_once_booking_has_closed_the_manage_page_offers_fewer_places_only(client):
    start = timezone.now() + 10 * HOUR
    event = BookableEventFactory(capacity=10, start=start, end=start + HOUR,
                                 booking_closes_hours=24)  # fmt: skip
    two = BookingFactory(occurrence=occurrence_of(event), places=2)
    url = link(two, tokens.MANAGE, "bookings:manage")
    html = client.get(url).content.decode()
    assert places_choices(html) == ["1", "2"]
    assert "Booking for this date has closed, so no places can be added." in html
    page = client.post(url, {"action": "places", "places": "4"}, follow=True).content.decode()
    two.refresh_from_db()
    assert two.places == 2
    assert "no places can be added" in page
    # One place: nothing to change, but cancelling is still offered until the start.
    one = BookingFactory(occurrence=occurrence_of(event), places=1)
    html = client.get(link(one, tokens.MANAGE, "bookings:manage")).content.decode()
    assert "Change the number of places" not in html
    assert "Cancel my booking" in html


def test_a_second_accept_says_the_place_is_yours(client, occurrence):
    booking = BookingFactory(occurrence=occurrence, offered=True)
    url = link(booking, tokens.MANAGE, "bookings:manage")
    client.post(url, {"action": "accept"})
    page = client.post(url, {"action": "accept"}, follow=True).content.decode()
    assert "The place is yours" in page
    assert "offer has ended" not in page
    # An offer that really ended still says so.
    lapsed = BookingFactory(occurrence=occurrence, offered=True)
    Booking.objects.filter(pk=lapsed.pk).update(status=BookingStatus.LAPSED)
    page = client.post(
        link(lapsed, tokens.MANAGE, "bookings:manage"), {"action": "accept"}, follow=True
    ).content.decode()
    assert "offer has ended" in page
