"""One date's calendar file, HEAD on every page of the calendar, and "Getting there"
(issue 14)."""

import datetime
from urllib.parse import quote_plus

import icalendar
import pytest

from events.models import EventStatus, LocationMode
from tests.events.factories import EventFactory, VenueFactory, local

pytestmark = pytest.mark.django_db


def series(**overrides):
    """Tuesdays 16:00 to 17:30 in Norwich, across the October clock change."""
    return EventFactory(
        **{
            "title": "Canaries workshop",
            "slug": "canaries-workshop",
            "start": local(2030, 10, 15, 16),
            "end": local(2030, 10, 15, 17, 30),
            "rrule": "FREQ=WEEKLY;COUNT=4",
        }
        | overrides
    )


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def test_one_date_as_its_own_file_with_one_vevent_in_london_time(client):
    event = series()
    response = client.get("/events/canaries-workshop/2030-10-29.ics")
    assert response["Content-Disposition"] == (
        'attachment; filename="canaries-workshop-2030-10-29.ics"'
    )
    assert "max-age=900" in response["Cache-Control"]
    assert response["ETag"]
    calendar = parse(response)
    (vevent,) = calendar.walk("VEVENT")
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    # After the clocks go back: still 16:00 in Norwich, now 16:00 UTC.
    assert vevent.start == local(2030, 10, 29, 16)
    assert str(vevent.start.tzinfo) == "Europe/London"
    assert "DTSTART;TZID=Europe/London:20301029T160000" in vevent.to_ical().decode()
    assert vevent.end == local(2030, 10, 29, 17, 30)
    assert vevent.start.astimezone(datetime.UTC).hour == 16
    assert "RRULE" not in vevent
    assert "REFRESH-INTERVAL" not in calendar
    assert "RECURRENCE-ID" not in vevent
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert str(vevent["URL"]).endswith("/events/canaries-workshop/?on=2030-10-29")
    # A UID of its own for that date: stable, and never the series' UID.
    assert str(vevent["UID"]) == f"{event.uid}-20301029@refuge-portal"
    again = parse(client.get("/events/canaries-workshop/2030-10-29.ics"))
    assert str(again.walk("VEVENT")[0]["UID"]) == str(vevent["UID"])
    other = parse(client.get("/events/canaries-workshop/2030-10-22.ics"))
    series_file = parse(client.get("/events/canaries-workshop.ics"))
    uids = {str(v["UID"]) for v in [*other.walk("VEVENT"), *series_file.walk("VEVENT")]}
    assert str(vevent["UID"]) not in uids


def test_the_whole_series_is_named_by_its_slug(client):
    series()
    response = client.get("/events/canaries-workshop.ics")
    assert response["Content-Disposition"] == 'inline; filename="canaries-workshop.ics"'
    (vevent,) = parse(response).walk("VEVENT")
    assert "RRULE" in vevent


def test_a_cancelled_date_file_says_cancelled_with_its_reason(client):
    series(cancelled_dates=[datetime.date(2030, 10, 22)],
           cancelled_reasons={"2030-10-22": "The writer is unwell"})  # fmt: skip
    (vevent,) = parse(client.get("/events/canaries-workshop/2030-10-22.ics")).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "Cancelled: The writer is unwell" in str(vevent["DESCRIPTION"])
    (going,) = parse(client.get("/events/canaries-workshop/2030-10-29.ics")).walk("VEVENT")
    assert str(going["STATUS"]) == "CONFIRMED"


def test_a_cancelled_event_sends_every_date_cancelled(client):
    series(status=EventStatus.CANCELLED, cancellation_reason="Funding ended")
    (vevent,) = parse(client.get("/events/canaries-workshop/2030-10-29.ics")).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "Funding ended" in str(vevent["DESCRIPTION"])


@pytest.mark.parametrize(
    "path",
    [
        "/events/canaries-workshop/2030-10-16.ics",  # no date that day
        "/events/canaries-workshop/2030-02-30.ics",  # no such day
        "/events/canaries-workshop/2030-13-01.ics",
        "/events/no-such-event/2030-10-29.ics",
    ],
)
def test_a_date_the_event_does_not_have_is_a_404(client, path):
    series()
    assert client.get(path).status_code == 404


def test_a_draft_has_no_calendar_file(client):
    series(status=EventStatus.DRAFT)
    assert client.get("/events/canaries-workshop/2030-10-29.ics").status_code == 404


def test_a_withheld_venue_never_reaches_the_date_file(client):
    secret = VenueFactory(name="Safe House", address="7 Hidden Lane", postcode="NR9 9ZZ",
                          transport_notes="Bus 25 to Hidden Lane")  # fmt: skip
    series(venue=secret, location=LocationMode.ON_BOOKING, booking_url="https://example.org/b")
    content = client.get("/events/canaries-workshop/2030-10-29.ics").content.decode()
    assert "Venue announced on booking" in content
    for leak in ("Safe House", "Hidden Lane", "NR9 9ZZ", "Bus 25"):
        assert leak not in content


def test_a_conditional_request_for_a_date_file_is_a_304(client):
    series()
    first = client.get("/events/canaries-workshop/2030-10-29.ics")
    again = client.get(
        "/events/canaries-workshop/2030-10-29.ics", headers={"if-none-match": first["ETag"]}
    )
    assert again.status_code == 304


def test_the_event_page_links_each_date_to_its_own_file_and_the_series(client):
    series()
    page = client.get("/events/canaries-workshop/?on=2030-10-22").content.decode()
    assert 'href="/events/canaries-workshop/2030-10-22.ics"' in page  # this date
    assert 'href="/events/canaries-workshop.ics"' in page  # the whole series
    assert "Download the whole series (.ics)" in page
    page = client.get("/events/canaries-workshop/?on=2030-10-29").content.decode()
    assert 'href="/events/canaries-workshop/2030-10-29.ics"' in page  # that date's own
    one_off = EventFactory(slug="one-off", start=local(2030, 7, 2, 19), end=local(2030, 7, 2, 21))
    page = client.get(one_off.get_absolute_url()).content.decode()
    assert 'href="/events/one-off/2030-07-02.ics"' in page
    assert "whole series" not in page


# ---------------------------------------------------------------- HEAD


def test_head_is_answered_with_no_body_wherever_get_is(client):
    event = series()
    for path in [
        "/events/",
        event.get_absolute_url(),
        "/events/canaries-workshop.ics",
        "/events/canaries-workshop/2030-10-29.ics",
        "/events/feed.ics",
        "/events/past/",
        "/events/calendar/2030/10/",
        "/events/calendar/2030/10/29/",
        "/events/rss/",
    ]:
        got = client.get(path)
        head = client.head(path)
        assert head.status_code == 200, path
        assert head.content == b"", path
        assert head["Content-Type"] == got["Content-Type"], path
    assert "HEAD" in client.post("/events/canaries-workshop/2030-10-29.ics")["Allow"]


# ---------------------------------------------------------------- getting there


def test_getting_there_for_a_public_venue(client):
    venue = VenueFactory(
        name="Dragon Hall",
        address="115-123 King Street\nNorwich",
        postcode="NR1 1QE",
        accessibility_notes="Lift to every floor.",
        transport_notes="Bus 11 from the station; bike racks by the gate.",
    )
    event = EventFactory(venue=venue)
    content = client.get(event.get_absolute_url()).content.decode()
    assert 'id="getting-there-heading">Getting there</h2>' in content
    assert "115-123 King Street<br>Norwich<br>NR1 1QE" in content
    assert "Lift to every floor." in content
    assert "Bus 11 from the station; bike racks by the gate." in content
    query = quote_plus("115-123 King Street, Norwich, NR1 1QE")
    assert f'href="https://www.openstreetmap.org/search?query={query}"' in content
    assert "<iframe" not in content
    assert "tile.openstreetmap" not in content  # a link, no map fetched


@pytest.mark.parametrize("mode", [LocationMode.ONLINE, LocationMode.ON_BOOKING])
def test_no_getting_there_for_an_online_event_or_a_withheld_venue(client, mode):
    venue = VenueFactory(
        name="Safe House",
        address="7 Hidden Lane",
        postcode="NR9 9ZZ",
        accessibility_notes="Secret ramp",
        transport_notes="Bus 25 to Hidden Lane",
    )
    event = EventFactory(
        venue=venue,
        location=mode,
        online_url="https://meet.example.org/x" if mode == LocationMode.ONLINE else "",
        booking_url="https://example.org/book",
    )
    for url in [event.get_absolute_url(), f"/events/{event.slug}.ics",
                f"/events/{event.slug}/{event.local_start:%Y-%m-%d}.ics"]:  # fmt: skip
        content = client.get(url).content.decode()
        assert "Getting there" not in content, url
        assert "getting-there" not in content, url
        assert "openstreetmap" not in content.lower(), url
        for leak in ("Hidden Lane", "NR9 9ZZ", "Bus 25", "Secret ramp"):
            assert leak not in content, (url, leak)


def test_a_date_file_and_the_event_page_in_arabic(client):
    venue = VenueFactory(transport_notes="Bus 11 from the station.")
    series(venue=venue)
    page = client.get("/ar/events/canaries-workshop/?on=2030-10-22").content.decode()
    assert 'dir="rtl"' in page
    assert 'href="/ar/events/canaries-workshop/2030-10-22.ics"' in page
    assert 'id="getting-there-heading"' in page
    assert "Bus 11 from the station." in page
    response = client.get("/ar/events/canaries-workshop/2030-10-22.ics")
    (vevent,) = parse(response).walk("VEVENT")
    assert vevent.start == local(2030, 10, 22, 16)


def test_a_date_file_costs_a_few_queries_however_long_the_series(
    client, django_assert_max_num_queries
):
    for count in (4, 60):
        EventFactory(
            slug=f"series-{count}",
            start=local(2030, 10, 15, 16),
            end=local(2030, 10, 15, 17),
            rrule=f"FREQ=WEEKLY;COUNT={count}",
        )
        with django_assert_max_num_queries(4):
            response = client.get(f"/events/series-{count}/2030-10-29.ics")
        assert response.status_code == 200


def test_the_event_form_explains_its_fields_in_british_dates(admin_client):
    page = admin_client.get("/admin/events/event/add/").content.decode()
    for words in (
        "Add an extra date",
        "DD/MM/YYYY and the time on the 24-hour clock (14/01/2027 16:00)",
        "Changing it after publishing breaks links",
        "Venue announced on booking” keeps the address off every page",
    ):
        assert words in page, words
    venue_page = admin_client.get("/admin/events/venue/add/").content.decode()
    assert "How to get there by bus, train or bike" in venue_page
    assert "used for the map link" in venue_page
