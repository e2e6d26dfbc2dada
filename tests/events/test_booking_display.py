"""How the event page says an event is booked: on this site (a button per date, or why
not), by a link, or not at all; and the offer in its JSON-LD."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import BookingMode, LocationMode
from tests.events.factories import EventFactory, VenueFactory, local, soon

pytestmark = pytest.mark.django_db


def json_ld(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(match.group(1))


def book_url(occurrence) -> str:
    return reverse("bookings:book", kwargs={"occurrence": occurrence.pk})


def booked_here(**kwargs):
    return EventFactory(booking=BookingMode.PORTAL, capacity=20, is_free=True, **kwargs)


def test_a_date_booked_here_links_to_its_booking_page(client):
    event = EventFactory(booking=BookingMode.PORTAL, capacity=37, is_free=True)
    occurrence = event.occurrences.get()
    content = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{book_url(occurrence)}"' in content
    assert "Free — booking required" in content
    assert "No booking needed" not in content
    # Never a live count on this cached page.
    assert "places left:" not in content.lower()
    booking = content.split("<dt>Booking</dt>")[1].split("</dd>")[0]
    assert "37" not in re.sub(r"<[^>]+>", "", booking)


def test_each_date_of_a_series_booked_here_has_its_own_button(client):
    first = soon(3, hour=16)
    event = booked_here(
        start=first, end=first + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=3"
    )
    dates = list(event.occurrences.order_by("start"))
    event.cancelled_dates = [dates[2].local_start.date()]
    event.save()
    content = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{book_url(dates[0])}"' in content
    assert f'href="{book_url(dates[1])}"' in content
    assert f'href="{book_url(dates[2])}"' not in content  # cancelled
    # Each button names its date for screen readers.
    assert f'Book a place<span class="visually-hidden">: {dates[1].local_start:%A} ' in content


def test_booking_not_yet_open_says_when_it_opens(client):
    opens = local(2030, 5, 1, 10)
    event = booked_here(
        start=local(2030, 6, 4, 18, 30), end=local(2030, 6, 4, 20), booking_opens_at=opens
    )
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Booking opens on Wednesday 1 May 2030, 10:00." in content
    assert "/bookings/" not in content.split("<dt>Booking</dt>")[1].split("</dd>")[0]


def test_booking_closed_hours_before_the_start(client):
    start = timezone.now() + datetime.timedelta(hours=3)
    event = booked_here(start=start, end=start + datetime.timedelta(hours=1))
    event.booking_closes_hours = 4
    event.save()
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Booking closed" in content
    assert f'href="{book_url(event.occurrences.get())}"' not in content


def test_a_cancelled_event_booked_here_has_no_button(client):
    event = booked_here(status="cancelled", cancellation_reason="The writer is unwell.")
    content = client.get(event.get_absolute_url()).content.decode()
    assert "/bookings/" not in content  # not even in the JSON-LD's offer
    assert "This event is cancelled." in content


def test_an_event_booked_elsewhere_links_out_and_one_with_no_booking_says_so(client):
    elsewhere = EventFactory(booking_url="https://tickets.example.org/e/1")
    content = client.get(elsewhere.get_absolute_url()).content.decode()
    assert 'href="https://tickets.example.org/e/1"' in content
    assert json_ld(content)["offers"]["url"] == "https://tickets.example.org/e/1"
    walk_in = EventFactory()
    content = client.get(walk_in.get_absolute_url()).content.decode()
    assert "No booking needed: just come along." in content
    assert "/bookings/" not in content


def test_json_ld_offers_the_booking_page_free_and_no_address_on_booking(client):
    event = booked_here(
        location=LocationMode.ON_BOOKING,
        venue=VenueFactory(name="Quiet Room", address="3 Unseen Yard", postcode="NR7 7QQ"),
    )
    occurrence = event.occurrences.get()
    content = client.get(event.get_absolute_url()).content.decode()
    data = json_ld(content)
    assert data["offers"] == {
        "@type": "Offer",
        "price": "0",
        "priceCurrency": "GBP",
        "url": f"http://testserver{book_url(occurrence)}",
    }
    assert data["isAccessibleForFree"] is True
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"] == {"@type": "Place", "name": "Venue announced on booking"}
    for word in ("Quiet Room", "Unseen Yard", "NR7 7QQ"):
        assert word not in content


def test_the_event_page_with_booking_stays_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    first = soon(3, hour=16)
    end = first + datetime.timedelta(hours=1)
    small = booked_here(start=first, end=end, rrule="FREQ=WEEKLY;COUNT=2")
    big = booked_here(start=first, end=end, rrule="FREQ=WEEKLY;COUNT=40")
    client.get(small.get_absolute_url())
    with django_assert_max_num_queries(12) as small_queries:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(small_queries)):
        client.get(big.get_absolute_url())
