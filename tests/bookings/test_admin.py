"""The bookings admin: attendee lists per date with their counts, filters, search, the
actions (posted back as a browser would), the CSV export and the release log."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from bookings.models import Booking, BookingEmail, BookingStatus, EmailKind, VenueRelease
from tests.admin_forms import form_data
from tests.bookings.factories import BookableEventFactory, BookingFactory, PrivateVenueEventFactory
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/bookings/booking/"


@pytest.fixture
def coordinator(django_user_model, staff_roles):
    user = django_user_model.objects.create_user(
        "bookings", email="bookings@example.org", password="a-long-test-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Booking coordinator"))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    verify_second_factor(client, coordinator)
    return client


@pytest.fixture
def date(db):
    """A date with 10 places and people in every state."""
    occurrence = BookableEventFactory(title="Letters to Europe", capacity=10).occurrences.get()
    BookingFactory(occurrence=occurrence, name="Amira Haddad", places=2,
                   access_needs="Step-free seat near the door")  # fmt: skip
    BookingFactory(occurrence=occurrence, name="Jiao Wen", places=3)
    BookingFactory(occurrence=occurrence, name="Held Person", held=True, places=1)
    BookingFactory(occurrence=occurrence, name="Offered Person", offered=True, places=1)
    BookingFactory(occurrence=occurrence, name="Waiting Person", waiting=True, places=2)
    BookingFactory(occurrence=occurrence, name="Cancelled Person",
                   status=BookingStatus.CANCELLED, places=1)  # fmt: skip
    BookingFactory(occurrence=occurrence, name="Arrived Person", places=1,
                   checked_in_at=timezone.now())  # fmt: skip
    return occurrence


def names(response) -> list[str]:
    return [booking.name for booking in response.context["cl"].result_list]


def post_action(client, action, bookings, **extra):
    """Choose the bookings and the action on the changelist, as the page's form does."""
    page = client.get(CHANGELIST)
    data = form_data(page.content.decode(), "changelist-form")
    data.update({"action": [action], "_selected_action": [str(b.pk) for b in bookings]})
    for name, value in extra.items():
        data[name] = [value]
    return client.post(CHANGELIST, data)


# ---------------------------------------------------------------- the list
def test_the_attendee_list_of_a_date_has_its_counts(coordinator_client, date):
    response = coordinator_client.get(CHANGELIST, {"occurrence": date.pk})
    assert response.status_code == 200
    counts = response.context["counts"]
    assert counts.confirmed == 3  # Amira, Jiao, Arrived
    assert counts.confirmed_places == 6
    assert counts.held == 1
    assert counts.offered == 1
    assert counts.waiting == 1
    assert counts.cancelled == 1
    assert counts.attended == 1
    assert counts.attended_places == 1
    # 10 places: 6 confirmed, 1 offered, 1 held (not expired) take 8.
    assert counts.places_left == 2
    content = response.content.decode()
    assert "Letters to Europe" in content
    assert f"/admin/bookings/booking/date/{date.pk}/sign-in-sheet/" in content
    assert f"/admin/bookings/booking/checkin/{date.pk}/" in content
    assert len(names(response)) == 7


def test_the_list_filters_by_status_date_and_attendance_and_searches(coordinator_client, date):
    other = BookingFactory(name="Someone Else")
    response = coordinator_client.get(CHANGELIST, {"status__exact": "waiting"})
    assert names(response) == ["Waiting Person"]
    response = coordinator_client.get(CHANGELIST, {"occurrence": other.occurrence_id})
    assert names(response) == ["Someone Else"]
    response = coordinator_client.get(CHANGELIST, {"attended": "yes"})
    assert names(response) == ["Arrived Person"]
    response = coordinator_client.get(CHANGELIST, {"when": "upcoming", "q": "jiao"})
    assert names(response) == ["Jiao Wen"]
    response = coordinator_client.get(CHANGELIST, {"q": "visitor"})  # the factory's emails
    assert len(names(response)) == 8
    response = coordinator_client.get(CHANGELIST, {"when": "past"})
    assert names(response) == []


def test_the_list_stays_a_fixed_number_of_queries(
    coordinator_client, date, django_assert_max_num_queries
):
    coordinator_client.get(CHANGELIST, {"occurrence": date.pk})
    with django_assert_max_num_queries(40) as few:
        coordinator_client.get(CHANGELIST, {"occurrence": date.pk})
    for number in range(30):
        BookingFactory(occurrence=date, name=f"More {number}", status=BookingStatus.CANCELLED)
    with django_assert_max_num_queries(len(few)):
        coordinator_client.get(CHANGELIST, {"occurrence": date.pk})


def test_the_dates_page_lists_dates_with_their_places(coordinator_client, date):
    response = coordinator_client.get(f"{CHANGELIST}dates/")
    content = response.content.decode()
    assert "Letters to Europe" in content
    assert f"?occurrence={date.pk}" in content
    assert "6 / 10" in content


def test_the_change_page_shows_the_booking_and_its_release_log(coordinator_client):
    occurrence = PrivateVenueEventFactory().occurrences.get()
    booking = BookingFactory(occurrence=occurrence, access_needs="Hearing loop")
    VenueRelease.objects.create(booking=booking, channel="confirmation")
    content = coordinator_client.get(f"{CHANGELIST}{booking.pk}/change/").content.decode()
    assert booking.name in content
    assert "Hearing loop" in content
    assert "Confirmation email" in content
    assert 'name="name"' not in content  # read-only: changes go through the actions


def test_the_release_log_is_read_only_and_searchable(coordinator_client):
    occurrence = PrivateVenueEventFactory().occurrences.get()
    booking = BookingFactory(occurrence=occurrence, name="Told Person")
    VenueRelease.objects.create(booking=booking, channel="reminder")
    response = coordinator_client.get("/admin/bookings/venuerelease/", {"q": "told"})
    content = response.content.decode()
    assert "Told Person" in content
    assert "Reminder email" in content
    assert coordinator_client.get("/admin/bookings/venuerelease/add/").status_code == 403


# ---------------------------------------------------------------- actions
def test_cancelling_asks_for_a_message_then_cancels_and_emails(
    coordinator_client, date, django_capture_on_commit_callbacks
):
    amira = Booking.objects.get(name="Amira Haddad")
    page = post_action(coordinator_client, "cancel_with_message", [amira])
    assert page.status_code == 200
    assert "Message to the people whose bookings are cancelled" in page.content.decode()
    amira.refresh_from_db()
    assert amira.status == BookingStatus.CONFIRMED  # nothing yet
    # The confirmation page's form, posted back with a message.
    data = {
        "action": ["cancel_with_message"],
        "_selected_action": [str(amira.pk)],
        "message": ["The room is smaller than we thought. Sorry!"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(CHANGELIST, data, follow=True)
    assert "1 booking cancelled" in response.content.decode()
    amira.refresh_from_db()
    assert amira.status == BookingStatus.CANCELLED
    assert amira.cancelled_by == "staff"
    assert amira.staff_message == "The room is smaller than we thought. Sorry!"
    # Two places came free: the waiting person (2 places) is offered them.
    assert Booking.objects.get(name="Waiting Person").status == BookingStatus.OFFERED
    cancelled = [message for message in mail.outbox if amira.email in message.to]
    assert len(cancelled) == 1
    assert "smaller than we thought" in cancelled[0].body


def test_cancelling_without_a_message_asks_again(coordinator_client, date):
    amira = Booking.objects.get(name="Amira Haddad")
    response = coordinator_client.post(CHANGELIST, {
        "action": "cancel_with_message", "_selected_action": [amira.pk], "message": "  ",
    })  # fmt: skip
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    amira.refresh_from_db()
    assert amira.status == BookingStatus.CONFIRMED


def test_offering_a_place_to_the_next_waiting_person(coordinator_client, date):
    # Free two places by raising the capacity, then offer them.
    date.capacity = 12
    date.save()
    waiting = Booking.objects.get(name="Waiting Person")
    response = post_action(coordinator_client, "offer_next_place", [waiting])
    response = coordinator_client.get(response.url)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
    assert "offered to 1 person" in response.content.decode()
    assert BookingEmail.objects.filter(booking=waiting, kind=EmailKind.OFFER).exists()


def test_offering_when_nothing_is_free_says_so(coordinator_client, date):
    waiting = Booking.objects.get(name="Waiting Person")  # 2 places; only 2 left but…
    Booking.objects.filter(name="Held Person").update(places=2)  # …now 1 left
    response = coordinator_client.post(f"{CHANGELIST}date/{date.pk}/offer/", follow=True)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.WAITING
    assert "nobody was offered a place" in response.content.decode()
    assert coordinator_client.get(f"{CHANGELIST}date/{date.pk}/offer/").status_code == 405


def test_marking_attended_skips_people_not_confirmed(coordinator_client, date):
    chosen = Booking.objects.filter(name__in=["Jiao Wen", "Waiting Person", "Arrived Person"])
    before = Booking.objects.get(name="Arrived Person").checked_in_at
    response = post_action(coordinator_client, "mark_attended", list(chosen))
    content = coordinator_client.get(response.url).content.decode()
    assert "1 booking marked as attended. 2 were left alone" in content
    assert Booking.objects.get(name="Jiao Wen").checked_in_at is not None
    assert Booking.objects.get(name="Waiting Person").checked_in_at is None
    assert Booking.objects.get(name="Arrived Person").checked_in_at == before


def test_the_csv_export_is_safe_in_a_spreadsheet(coordinator_client, date):
    BookingFactory(
        occurrence=date,
        name='=HYPERLINK("http://evil")',
        email="x@example.org",
        waiting=True,
        access_needs="+1 wheelchair",
    )
    BookingFactory(occurrence=date, name="@SUM(A1)", email="y@example.org", waiting=True)
    BookingFactory(occurrence=date, name="\tTabbed", email="z@example.org", waiting=True)
    BookingFactory(occurrence=date, name="-2+3", email="w@example.org", waiting=True)
    chosen = Booking.objects.filter(occurrence=date)
    response = post_action(coordinator_client, "export_csv", list(chosen))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Reference", "Event", "Date", "Name"]
    assert "Access needs" in header
    cells = [cell for row in body for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert "'@SUM(A1)" in cells
    assert "'\tTabbed" in cells
    assert "'-2+3" in cells
    assert "'+1 wheelchair" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
    assert len(body) == chosen.count()


def test_staff_cannot_add_or_delete_bookings_by_hand(admin_client, date):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    booking = Booking.objects.first()
    assert admin_client.get(f"{CHANGELIST}{booking.pk}/delete/").status_code == 403
    page = admin_client.get(CHANGELIST).content.decode()
    assert "delete_selected" not in page


def test_a_confirmed_date_in_the_past_is_in_the_past_filter(coordinator_client):
    start = timezone.now() - datetime.timedelta(days=3)
    event = BookableEventFactory(status="published")
    event.start, event.end = start, start + datetime.timedelta(hours=1)
    event.save()
    BookingFactory(occurrence=event.occurrences.get(), name="Came Last Week")
    assert names(coordinator_client.get(CHANGELIST, {"when": "past"})) == ["Came Last Week"]


def test_moving_an_event_in_the_admin_keeps_its_bookings_and_tells_them(
    admin_client, django_capture_on_commit_callbacks
):
    from tests.admin_forms import post_back
    from tests.events.factories import soon

    start = soon(7, hour=18)
    event = BookableEventFactory(start=start, end=start + datetime.timedelta(hours=1))
    occurrence = event.occurrences.get()
    booking = BookingFactory(occurrence=occurrence, email="moved@example.org")
    url = f"/admin/events/event/{event.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        response = post_back(admin_client, url, {"start_1": "19:00", "end_1": "20:30"},
                             form_id="event_form")  # fmt: skip
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.occurrence_id == occurrence.pk
    assert booking.occurrence.local_start.hour == 19
    assert booking.status == BookingStatus.CONFIRMED
    told = [message for message in mail.outbox if "moved@example.org" in message.to]
    assert len(told) == 1
