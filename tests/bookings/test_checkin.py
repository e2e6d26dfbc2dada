"""Check-in at the door: by name (no JavaScript), by the QR code's token (posted by the
scanner as JSON, or typed), by booking number; idempotent; undo; clear messages."""

import datetime

import pytest
from django.core import signing
from django.utils import timezone

from bookings import tokens
from bookings.models import Booking, BookingStatus
from tests.bookings import test_admin as admin_tests
from tests.bookings.factories import BookableEventFactory, BookingFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}

# The Booking coordinator's fixtures, shared with the admin tests.
coordinator = admin_tests.coordinator
coordinator_client = admin_tests.coordinator_client


def later_today(minutes: int) -> datetime.datetime:
    """`minutes` from now, but never past 23:15 today (a date may have started: staff
    still check people in)."""
    last = datetime.datetime.combine(
        timezone.localdate(), datetime.time(23, 15), tzinfo=timezone.get_default_timezone()
    )
    return min(timezone.now() + datetime.timedelta(minutes=minutes), last)


@pytest.fixture
def today(db):
    """A date booked on the site, today."""
    start = later_today(10)
    event = BookableEventFactory(title="Reading at the Forum", start=start,
                                 end=start + datetime.timedelta(minutes=30))  # fmt: skip
    return event.occurrences.get()


@pytest.fixture
def amira(today):
    return BookingFactory(occurrence=today, name="Amira Haddad", places=2,
                          access_needs="Needs a seat near the door")  # fmt: skip


def url(occurrence) -> str:
    return f"/admin/bookings/booking/checkin/{occurrence.pk}/"


def test_the_door_page_opens_on_todays_only_date(coordinator_client, today):
    response = coordinator_client.get("/admin/bookings/booking/checkin/")
    assert response.status_code == 302
    assert response.url == url(today)
    # With another date today, staff choose.
    start = today.start + datetime.timedelta(minutes=5)
    BookableEventFactory(title="Workshop later", start=start,
                         end=start + datetime.timedelta(minutes=10))  # fmt: skip
    content = coordinator_client.get("/admin/bookings/booking/checkin/").content.decode()
    assert "Reading at the Forum" in content
    assert "Workshop later" in content


def test_search_by_name_works_without_javascript(coordinator_client, today, amira):
    BookingFactory(occurrence=today, name="Jiao Wen")
    BookingFactory(occurrence=today, name="Waiting Amira", waiting=True)
    response = coordinator_client.get(url(today), {"q": "amira"})
    content = response.content.decode()
    assert [b.name for b in response.context["bookings"]] == ["Amira Haddad"]
    assert 'role="search"' in content
    assert '<label for="checkin-q">' in content
    assert "Jiao Wen" not in content
    assert "0 of 3 places checked in" in content  # Amira's 2 and Jiao's 1


def test_checking_in_by_name_then_again_changes_nothing(coordinator_client, today, amira):
    data = {"booking": str(amira.public_id), "action": "check-in", "q": "amira"}
    response = coordinator_client.post(url(today), data)
    assert response.status_code == 302
    assert response.url == f"{url(today)}?q=amira"
    page = coordinator_client.get(response.url).content.decode()
    assert "Checked in: Amira Haddad, 2 places." in page
    assert 'role="status"' in page
    amira.refresh_from_db()
    first = amira.checked_in_at
    assert first is not None
    response = coordinator_client.post(url(today), data, follow=True)
    assert "Already checked in at" in response.content.decode()
    amira.refresh_from_db()
    assert amira.checked_in_at == first
    assert "2 of 2 places checked in" in response.content.decode()


def test_undo_takes_a_check_in_back(coordinator_client, today, amira):
    coordinator_client.post(url(today), {"booking": str(amira.public_id)})
    response = coordinator_client.post(
        url(today), {"booking": str(amira.public_id), "action": "undo"}, follow=True
    )
    assert "Check-in undone: Amira Haddad, 2 places." in response.content.decode()
    amira.refresh_from_db()
    assert amira.checked_in_at is None


def test_the_scanned_token_checks_in_and_answers_json(coordinator_client, today, amira):
    token = tokens.checkin_token(amira)
    response = coordinator_client.post(url(today), {"token": token}, **JSON)
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Checked in: Amira Haddad, 2 places.",
        "state": "checked-in",
        "booking": amira.public_id.hex,
        "tally": "2 of 2 places checked in",
    }
    again = coordinator_client.post(url(today), {"token": token}, **JSON).json()
    assert again["ok"] is True
    assert again["state"] == "already"


def test_a_typed_code_or_booking_number_checks_in_without_javascript(
    coordinator_client, today, amira
):
    jiao = BookingFactory(occurrence=today, name="Jiao Wen")
    response = coordinator_client.post(url(today), {"token": f"  {tokens.checkin_token(amira)} "})
    assert response.status_code == 302
    response = coordinator_client.post(url(today), {"token": f"#{jiao.pk}"}, follow=True)
    assert "Checked in: Jiao Wen, 1 place." in response.content.decode()
    assert Booking.objects.filter(checked_in_at__isnull=False).count() == 2


@pytest.mark.parametrize(
    "code",
    [
        "not-a-code",
        "#999999",
        signing.dumps({"b": "0" * 32}, salt="bookings.manage"),  # another purpose's token
        signing.dumps({"b": "0" * 32}, salt="bookings.checkin", key="x" * 50),  # forged
    ],
)
def test_a_wrong_or_forged_code_gets_a_clear_message(coordinator_client, today, amira, code):
    response = coordinator_client.post(url(today), {"token": code}, **JSON)
    assert response.status_code == 200  # handled: the answer says what happened
    data = response.json()
    assert data["ok"] is False
    assert "not a booking we know" in data["message"]
    assert "Search for the person's name" in data["message"]
    amira.refresh_from_db()
    assert amira.checked_in_at is None


def test_a_token_for_another_date_or_an_unconfirmed_booking_is_refused(coordinator_client, today):
    elsewhere = BookingFactory(name="Other Date")
    waiting = BookingFactory(occurrence=today, name="Waiting Person", waiting=True)
    data = coordinator_client.post(
        url(today), {"token": tokens.checkin_token(elsewhere)}, **JSON
    ).json()
    assert data["ok"] is False
    assert data["message"].startswith("Not for this date: Other Date, 1 place booked ")
    token = tokens.checkin_token(waiting)
    data = coordinator_client.post(url(today), {"token": token}, **JSON).json()
    assert data["ok"] is False
    assert "Waiting list" in data["message"]
    assert not Booking.objects.filter(checked_in_at__isnull=False).exists()


def test_the_page_has_no_inline_script_and_loads_the_scanner(coordinator_client, today, amira):
    response = coordinator_client.get(url(today))
    content = response.content.decode()
    assert "/static/js/checkin.js" in content
    assert "<script>" not in content
    assert "onclick" not in content
    assert "style=" not in content
    assert "data-scan-start" in content
    assert 'name="csrfmiddlewaretoken"' in content
    assert "script-src" in response["Content-Security-Policy"]
    # The coordinator sees the access needs flag and text at the door.
    assert "Needs a seat near the door" in content


def test_check_in_needs_a_post_with_csrf(today, amira, coordinator):
    from django.test import Client

    from tests.conftest import verify_second_factor

    strict = Client(enforce_csrf_checks=True)
    verify_second_factor(strict, coordinator)
    response = strict.post(url(today), {"booking": str(amira.public_id)})
    assert response.status_code == 403
    amira.refresh_from_db()
    assert amira.checked_in_at is None


def test_a_cancelled_booking_cannot_be_checked_in(coordinator_client, today):
    gone = BookingFactory(occurrence=today, name="Gone Person", status=BookingStatus.CANCELLED)
    data = coordinator_client.post(url(today), {"booking": str(gone.public_id)}, **JSON).json()
    assert data["ok"] is False
    assert "Cancelled" in data["message"]


def test_the_door_page_stays_a_fixed_number_of_queries(
    coordinator_client, today, django_assert_max_num_queries
):
    BookingFactory(occurrence=today, name="First Person")
    coordinator_client.get(url(today))
    with django_assert_max_num_queries(30) as few:
        coordinator_client.get(url(today))
    for number in range(15):
        BookingFactory(occurrence=today, name=f"Person {number}")
    with django_assert_max_num_queries(len(few)):
        coordinator_client.get(url(today))
