import datetime
import json
import re

import pytest
from django.utils import timezone

from events.forms import date_range
from events.models import EventStatus, EventType, LocationMode
from tests.events.factories import EventFactory, VenueFactory, local, soon
from tests.programme.factories import StrandFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [o.event.title for o in response.context["occurrences"]]


# ---------------------------------------------------------------- the upcoming list


def test_upcoming_list_is_soonest_first_and_leaves_out_past_and_drafts(client):
    EventFactory(title="Later", start=soon(9))
    EventFactory(title="Sooner", start=soon(2))
    EventFactory(title="Gone", start=soon(-3))
    EventFactory(title="Draft", start=soon(4), status=EventStatus.DRAFT)
    response = client.get("/events/")
    assert titles(response) == ["Sooner", "Later"]
    content = response.content.decode()
    assert "Draft" not in content
    assert "2 upcoming dates" in content


def test_each_filter_narrows_the_list_and_keeps_its_state_in_the_form(client):
    poetry = StrandFactory(slug="poetry", title="Poetry")
    EventFactory(title="Young", audiences=["young-people"], start=soon(1))
    EventFactory(title="Paid talk", event_type=EventType.TALK, is_free=False, price="4.00")
    EventFactory(title="In poetry", strand=poetry, start=soon(3))
    assert titles(client.get("/events/?audience=young-people")) == ["Young"]
    assert titles(client.get("/events/?type=talk")) == ["Paid talk"]
    assert titles(client.get("/events/?strand=poetry")) == ["In poetry"]
    assert "Paid talk" not in titles(client.get("/events/?free=on"))
    response = client.get("/events/?audience=young-people&free=on")
    content = response.content.decode()
    assert titles(response) == ["Young"]
    assert '<option value="young-people" selected>' in content
    assert re.search(r'<input type="checkbox" name="free"[^>]*checked', content)
    assert "Clear filters" in content


def test_unknown_filter_values_fall_back_to_the_valid_ones(client):
    EventFactory(title="Young", audiences=["young-people"])
    EventFactory(title="Adults")
    response = client.get("/events/?audience=young-people&type=juggling&strand=nowhere")
    assert response.status_code == 200
    assert titles(response) == ["Young"]
    content = response.content.decode()
    assert '<option value="young-people" selected>' in content
    assert '<option value="" selected>Any type</option>' in content
    assert '<option value="" selected>All strands</option>' in content


# ---------------------------------------------------------------- finding what is on


@pytest.mark.parametrize(
    ("when", "today", "expected"),
    [
        # Wednesday 2 December 2026
        ("this-week", datetime.date(2026, 12, 2), ("2026-12-02", "2026-12-06")),
        ("this-weekend", datetime.date(2026, 12, 2), ("2026-12-05", "2026-12-06")),
        ("this-weekend", datetime.date(2026, 12, 6), ("2026-12-06", "2026-12-06")),
        ("this-week", datetime.date(2026, 12, 7), ("2026-12-07", "2026-12-13")),
        ("this-month", datetime.date(2026, 12, 2), ("2026-12-02", "2026-12-31")),
        ("next-month", datetime.date(2026, 12, 31), ("2027-01-01", "2027-01-31")),
        ("next-month", datetime.date(2028, 1, 31), ("2028-02-01", "2028-02-29")),
    ],
)
def test_quick_date_choices_cover_the_right_days(when, today, expected):
    first, last = date_range(when, today)
    assert (first.isoformat(), last.isoformat()) == expected


def test_date_filters_narrow_the_list(client):
    today = timezone.localdate()
    EventFactory(title="Tomorrow", start=soon(1))
    EventFactory(title="In a fortnight", start=soon(15))
    EventFactory(title="In forty days", start=soon(40))
    month_end = date_range("this-month", today)[1]
    following_first, following_last = date_range("next-month", today)
    expected_this_month = [
        title
        for title, days in [("Tomorrow", 1), ("In a fortnight", 15), ("In forty days", 40)]
        if today + datetime.timedelta(days=days) <= month_end
    ]
    assert titles(client.get("/events/?when=this-month")) == expected_this_month
    expected_next_month = [
        title
        for title, days in [("Tomorrow", 1), ("In a fortnight", 15), ("In forty days", 40)]
        if following_first <= today + datetime.timedelta(days=days) <= following_last
    ]
    assert titles(client.get("/events/?when=next-month")) == expected_next_month
    start = (today + datetime.timedelta(days=10)).isoformat()
    end = (today + datetime.timedelta(days=20)).isoformat()
    response = client.get(f"/events/?start={start}&end={end}")
    assert titles(response) == ["In a fortnight"]
    content = response.content.decode()
    # Native date inputs, no script: the browser's own picker, the value kept.
    assert f'<input type="date" name="start" value="{start}"' in content
    assert titles(client.get(f"/events/?start={start}")) == ["In a fortnight", "In forty days"]


def test_quick_date_links_keep_the_other_filters_and_mark_the_chosen_one(client):
    EventFactory(title="Young", audiences=["young-people"], start=soon(1))
    content = client.get("/events/?audience=young-people&when=this-week").content.decode()
    assert 'href="/events/?audience=young-people&amp;when=this-month"' in content
    chosen = 'href="/events/?audience=young-people&amp;when=this-week" aria-current="true"'
    assert chosen in content
    # The month view link keeps the filters it understands.
    today = timezone.localdate()
    assert f'href="/events/calendar/{today.year}/{today.month}/?audience=young-people"' in content


def test_bad_dates_are_dropped_not_fatal(client):
    EventFactory(title="Tomorrow", start=soon(1))
    for query in ("start=yesterday", "end=1066-10-14", "start=2026-13-01", "when=fortnight"):
        response = client.get(f"/events/?{query}")
        assert response.status_code == 200
        assert titles(response) == ["Tomorrow"]
    today = timezone.localdate()
    later, sooner = today + datetime.timedelta(days=5), today + datetime.timedelta(days=2)
    response = client.get(f"/events/?start={later}&end={sooner}")
    assert titles(response) == []  # the start alone: nothing from day five on
    content = response.content.decode()
    assert f'value="{later}"' in content
    assert f'value="{sooner}"' not in content


def test_the_list_has_month_headings(client):
    EventFactory(title="Soon", start=soon(1))
    EventFactory(title="Later", start=soon(70))
    content = client.get("/events/").content.decode()
    first = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%B %Y")
    later = (timezone.localdate() + datetime.timedelta(days=70)).strftime("%B %Y")
    assert re.search(rf'<h2 class="event-month__heading" id="month-[0-9-]+">{first}</h2>', content)
    assert re.search(rf'<h2 class="event-month__heading" id="month-[0-9-]+">{later}</h2>', content)
    assert content.index(first) < content.index("Soon") < content.index(later)


def test_the_month_view_offers_and_keeps_the_filters(client):
    poetry = StrandFactory(slug="poetry", title="Poetry")
    EventFactory(title="Young", audiences=["young-people"], start=local(2026, 3, 12, 16))
    EventFactory(title="Poems", strand=poetry, start=local(2026, 3, 13, 19))
    response = client.get("/events/calendar/2026/3/?audience=young-people")
    content = response.content.decode()
    assert "Young" in content
    assert "Poems" not in content
    assert '<option value="young-people" selected>' in content
    assert 'href="/events/calendar/2026/4/?audience=young-people" rel="next"' in content
    assert 'href="/events/calendar/2026/2/?audience=young-people" rel="prev"' in content
    assert "Next month: April 2026" in content
    assert 'href="/events/?audience=young-people"' in content
    assert "Poems" in client.get("/events/calendar/2026/3/?strand=poetry").content.decode()


def test_the_calendar_front_door_keeps_the_filters(client):
    today = timezone.localdate()
    response = client.get("/events/calendar/?audience=young-people&bogus=1")
    assert response.url == f"/events/calendar/{today.year}/{today.month}/?audience=young-people"


def test_past_days_of_this_month_are_marked(client):
    today = timezone.localdate()
    content = client.get(f"/events/calendar/{today.year}/{today.month}/").content.decode()
    assert content.count("month-grid__past") == today.day - 1
    assert content.count("(past)") == today.day - 1
    assert "Back to this month" not in content
    following = date_range("next-month", today)[0]
    content = client.get(f"/events/calendar/{following.year}/{following.month}/").content.decode()
    assert "month-grid__past" not in content
    assert f'href="/events/calendar/{today.year}/{today.month}/">Back to this month' in content


def test_pagination_keeps_filters_and_rejects_nonsense_pages(client):
    for day in range(25):
        EventFactory(start=soon(day + 1), audiences=["families"])
    response = client.get("/events/?audience=families")
    assert len(response.context["occurrences"]) == 20
    assert 'href="?audience=families&amp;page=2"' in response.content.decode()
    assert len(client.get("/events/?audience=families&page=2").context["occurrences"]) == 5
    assert client.get("/events/?page=abc").status_code == 404
    assert client.get("/events/?page=99").status_code == 404


def test_past_events_are_newest_first(client):
    EventFactory(title="Long ago", start=soon(-30))
    EventFactory(title="Last week", start=soon(-7))
    EventFactory(title="Coming", start=soon(3))
    assert titles(client.get("/events/past/")) == ["Last week", "Long ago"]


# ---------------------------------------------------------------- month and day


def test_month_grid_is_an_accessible_table_with_events_in_their_cells(client):
    EventFactory(title="Spring reading", start=local(2026, 3, 12, 19), end=local(2026, 3, 12, 20))
    content = client.get("/events/calendar/2026/03/").content.decode()
    assert "<caption>Calendar of events, March 2026</caption>" in content
    assert content.count('<th scope="col">') == 7
    # March 2026 starts on a Sunday: the first row is six days of February, then the 1st.
    first_row = content.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.count("month-grid__outside") == 6
    assert 'href="/events/calendar/2026/3/1/"' in first_row
    cell = content.split('href="/events/calendar/2026/3/12/"')[1].split("</td>")[0]
    assert "19:00" in cell
    assert "Spring reading" in cell
    assert 'href="/events/calendar/2026/2/"' in content
    assert 'href="/events/calendar/2026/4/"' in content


def test_february_in_a_leap_year_has_29_days(client):
    content = client.get("/events/calendar/2028/2/").content.decode()
    assert 'href="/events/calendar/2028/2/29/"' in content
    assert 'href="/events/calendar/2028/2/30/"' not in content
    assert client.get("/events/calendar/2028/2/29/").status_code == 200
    assert client.get("/events/calendar/2027/2/29/").status_code == 404


def test_today_is_marked(client):
    today = timezone.localdate()
    content = client.get(f"/events/calendar/{today.year}/{today.month}/").content.decode()
    assert content.count('aria-current="date"') == 1
    assert "Today" in content


def test_the_calendar_front_door_redirects_to_this_month(client):
    today = timezone.localdate()
    response = client.get("/events/calendar/")
    assert response.url == f"/events/calendar/{today.year}/{today.month}/"


def test_day_view_lists_that_day_and_links_around_it(client):
    EventFactory(title="On the day", start=local(2026, 3, 1, 10), end=local(2026, 3, 1, 11))
    EventFactory(title="Next day", start=local(2026, 3, 2, 10), end=local(2026, 3, 2, 11))
    response = client.get("/events/calendar/2026/3/1/")
    assert titles(response) == ["On the day"]
    content = response.content.decode()
    assert "Events on Sunday 1 March 2026" in content
    assert 'href="/events/calendar/2026/2/28/"' in content


@pytest.mark.parametrize(
    "url",
    [
        "/events/calendar/2026/13/",
        "/events/calendar/2026/0/",
        "/events/calendar/99999/1/",
        "/events/calendar/2026/2/30/",
        "/events/calendar/1999/12/31/",
        "/events/calendar/abc/1/",
        "/events/no-such-event/",
        "/events/no-such-event.ics",
        "/events/feed/no-such-strand.ics",
    ],
)
def test_bad_urls_are_404_not_500(client, url):
    assert client.get(url).status_code == 404


def test_the_calendar_stops_at_its_last_year_without_breaking(client):
    content = client.get("/events/calendar/2100/12/").content.decode()
    assert "/events/calendar/2101/" not in content


# ---------------------------------------------------------------- detail


def test_detail_shows_when_where_access_price_booking_and_links(client):
    venue = VenueFactory(name="Dragon Hall", postcode="NR1 1QE", accessibility_notes="Lift.")
    event = EventFactory(
        title="Translating poetry",
        venue=venue,
        start=local(2030, 6, 4, 18, 30),
        end=local(2030, 6, 4, 20),
        is_free=False,
        price="5.00",
        price_note="£3 concessions",
        booking_url="https://example.org/book",
    )
    content = client.get(event.get_absolute_url()).content.decode()
    assert "Tuesday 4 June 2030, 18:30" in content
    assert "NR1 1QE" in content
    assert "Lift." in content
    assert "£5.00 (£3 concessions)" in content
    assert 'href="https://example.org/book"' in content
    assert f'href="{event.strand.get_absolute_url()}"' in content
    assert f'href="/events/{event.slug}/2030-06-04.ics"' in content  # this date's own file
    assert "calendar.google.com" in content
    assert "outlook.live.com" in content
    assert f"webcal://testserver/events/feed/{event.strand.slug}.ics" in content


def test_a_recurring_event_shows_the_chosen_date_and_its_other_dates(client):
    event = EventFactory(
        start=local(2030, 5, 7, 16), end=local(2030, 5, 7, 17), rrule="FREQ=WEEKLY;COUNT=4"
    )
    response = client.get(f"{event.get_absolute_url()}?on=2030-05-21")
    assert response.context["occurrence"].local_start.date() == datetime.date(2030, 5, 21)
    other = [o.local_start.date().day for o in response.context["other_dates"]]
    assert other == [7, 14, 28]
    # A date it does not happen on, or nonsense, falls back to the next date.
    for on in ("2030-05-22", "nonsense", "99999-01-01"):
        fallback = client.get(f"{event.get_absolute_url()}?on={on}")
        assert fallback.context["occurrence"].local_start.date() == datetime.date(2030, 5, 7)


def test_a_cancelled_event_stays_visible_with_a_banner(client):
    event = EventFactory(status=EventStatus.CANCELLED, cancellation_reason="The writer is unwell.")
    content = client.get(event.get_absolute_url()).content.decode()
    assert "This event is cancelled." in content
    assert "The writer is unwell." in content
    assert "Book a place" not in content
    listing = client.get("/events/").content.decode()
    assert event.title in listing
    assert "Cancelled" in listing


def test_a_cancelled_date_of_a_recurring_event_is_marked(client):
    event = EventFactory(
        start=local(2030, 5, 7, 16),
        end=local(2030, 5, 7, 17),
        rrule="FREQ=WEEKLY;COUNT=3",
        cancelled_dates=[datetime.date(2030, 5, 14)],
    )
    content = client.get(f"{event.get_absolute_url()}?on=2030-05-14").content.decode()
    assert "This date is cancelled." in content
    assert "This date is cancelled." not in client.get(event.get_absolute_url()).content.decode()


def test_drafts_are_404_to_the_public_and_a_preview_for_staff(client, admin_client):
    event = EventFactory(status=EventStatus.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    preview = admin_client.get(event.get_absolute_url()).content.decode()
    assert "Preview: this is not published" in preview
    assert "application/ld+json" not in preview


def json_ld(content: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S)
    return json.loads(match.group(1))


def test_json_ld_describes_the_event(client):
    event = EventFactory(
        title="Reading </script><script>alert(1)</script>",
        start=local(2030, 6, 4, 18, 30),
        end=local(2030, 6, 4, 20),
        venue=VenueFactory(address="King Street\nNorwich", postcode="NR1 1QE"),
    )
    content = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in content
    data = json_ld(content)
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["startDate"] == "2030-06-04T18:30:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["address"]["postalCode"] == "NR1 1QE"
    assert data["offers"]["price"] == "0"


def test_json_ld_for_cancelled_and_online_events(client):
    cancelled = EventFactory(status=EventStatus.CANCELLED, cancellation_reason="Postponed.")
    online = EventFactory(
        location=LocationMode.ONLINE, venue=None, online_url="https://meet.example.org/secret"
    )
    data = json_ld(client.get(cancelled.get_absolute_url()).content.decode())
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    content = client.get(online.get_absolute_url()).content.decode()
    data = json_ld(content)
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"]["@type"] == "VirtualLocation"
    assert "meet.example.org" not in json.dumps(data)
    assert 'href="https://meet.example.org/secret"' in content  # shown to visitors on the page


def test_a_venue_announced_on_booking_never_leaks(client):
    secret = VenueFactory(
        name="Safe House",
        address="7 Hidden Lane",
        postcode="NR9 9ZZ",
        accessibility_notes="Secret access notes",
        website="https://safe-house.example.org/",
    )
    event = EventFactory(
        title="Reading by our writer",
        venue=secret,
        location=LocationMode.ON_BOOKING,
        booking_url="https://example.org/book",
        start=soon(5),
    )
    urls = [
        event.get_absolute_url(),
        "/events/",
        "/events/rss/",
        "/events/atom/",
        "/events/feed.ics",
        f"/events/feed/{event.strand.slug}.ics",
        f"/events/{event.slug}.ics",
        f"/events/calendar/{event.local_start.year}/{event.local_start.month}/",
        f"/events/calendar/{event.local_start:%Y/%m/%d}/".replace("/0", "/"),
        "/",
        event.strand.get_absolute_url(),
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert event.title in content, url
        for leak in ("Safe House", "Hidden Lane", "NR9 9ZZ", "Secret access", "safe-house"):
            assert leak not in content, (url, leak)
    content = client.get(event.get_absolute_url()).content.decode()
    assert "announced to people who book" in content
    assert json_ld(content)["location"] == {"@type": "Place", "name": "Venue announced on booking"}


# ---------------------------------------------------------------- the programme's pages


def test_strand_project_and_home_pages_show_their_next_events(client):
    strand = StrandFactory(slug="shahrazad-x")
    EventFactory(title="Shahrazad evening", strand=strand)
    EventFactory(title="Elsewhere")
    strand_page = client.get(strand.get_absolute_url()).content.decode()
    assert "Shahrazad evening" in strand_page
    assert "Elsewhere" not in strand_page
    assert 'href="/events/?strand=shahrazad-x"' in strand_page
    home = client.get("/").content.decode()
    assert "What’s on" in home
    assert "Shahrazad evening" in home


def test_the_sitemap_lists_upcoming_published_events_only(client):
    upcoming = EventFactory()
    past = EventFactory(start=soon(-5))
    draft = EventFactory(status=EventStatus.DRAFT)
    content = client.get("/sitemap.xml").content.decode()
    assert upcoming.get_absolute_url() in content
    assert past.get_absolute_url() not in content
    assert draft.get_absolute_url() not in content


def test_rss_and_atom_feeds_list_upcoming_dates(client):
    event = EventFactory(title="Poetry night", start=soon(3))
    EventFactory(title="Old night", start=soon(-3))
    EventFactory(title="Off night", status=EventStatus.CANCELLED, cancellation_reason="Flood.")
    rss = client.get("/events/rss/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    content = rss.content.decode()
    assert "<title>Poetry night</title>" in content
    assert "Old night" not in content
    assert "Cancelled: Off night" in content
    assert event.get_absolute_url().replace("/", "/") in content
    assert "<feed" in client.get("/events/atom/").content.decode()


# ---------------------------------------------------------------- query counts


def grow(n):
    strand = StrandFactory()
    venue = VenueFactory()
    for i in range(n):
        EventFactory(
            strand=strand,
            venue=venue,
            start=soon(i % 40 + 1),
            rrule="FREQ=WEEKLY;COUNT=3" if i % 5 == 0 else "",
            audiences=["young-people", "adults"],
        )
    return EventFactory(strand=strand, venue=venue, start=soon(-3), rrule="FREQ=DAILY;COUNT=60")


@pytest.mark.parametrize("size", [5, 300])
def test_query_counts_stay_flat_as_events_grow(client, django_assert_max_num_queries, size):
    recurring = grow(size)
    today = timezone.localdate()
    urls = [
        "/events/",
        "/events/?audience=young-people&free=on&type=workshop",
        "/events/past/",
        f"/events/calendar/{today.year}/{today.month}/",
        f"/events/calendar/{today:%Y/%m/%d}/".replace("/0", "/"),
        recurring.get_absolute_url(),
        "/events/feed.ics",
        "/events/rss/",
        "/",
    ]
    for url in urls:
        with django_assert_max_num_queries(8, info=url):
            response = client.get(url)
        assert response.status_code == 200, url
