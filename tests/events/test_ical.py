import datetime

import icalendar
import pytest

from events.models import EventStatus
from tests.events.factories import EventFactory, local, soon
from tests.programme.factories import StrandFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def parse(response) -> icalendar.Calendar:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar) -> list:
    return list(calendar.walk("VEVENT"))


def test_one_event_as_ics_has_uid_stamp_sequence_and_times_in_utc(client):
    event = EventFactory(
        title="Poetry night", start=local(2030, 7, 2, 19), end=local(2030, 7, 2, 21)
    )
    calendar = parse(client.get(f"/events/{event.slug}.ics"))
    (vevent,) = vevents(calendar)
    assert str(vevent["SUMMARY"]) == "Poetry night"
    assert str(vevent["UID"]) == f"{event.uid}@refuge-portal"
    assert vevent["SEQUENCE"] == 0
    assert vevent["DTSTAMP"].dt == event.updated_at.replace(microsecond=0)
    assert vevent.start.astimezone(UTC) == datetime.datetime(2030, 7, 2, 18, 0, tzinfo=UTC)
    assert vevent.end.astimezone(UTC) == datetime.datetime(2030, 7, 2, 20, 0, tzinfo=UTC)
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert event.venue.postcode in str(vevent["LOCATION"])
    (timezone_component,) = calendar.walk("VTIMEZONE")
    assert str(timezone_component["TZID"]) == "Europe/London"


def test_uids_are_stable_across_requests_and_sequence_rises_on_change(client):
    event = EventFactory()
    first = client.get("/events/feed.ics")
    second = client.get("/events/feed.ics")
    assert first.content == second.content
    assert str(vevents(parse(first))[0]["UID"]) == str(vevents(parse(second))[0]["UID"])
    event.title = "New title"
    event.save()
    (vevent,) = vevents(parse(client.get("/events/feed.ics")))
    assert vevent["SEQUENCE"] == 1
    assert str(vevent["UID"]) == f"{event.uid}@refuge-portal"


def test_recurring_event_has_rrule_exdate_and_a_cancelled_override(client):
    event = EventFactory(
        start=local(2030, 10, 15, 16),
        end=local(2030, 10, 15, 17),
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=[datetime.date(2030, 10, 22)],
        cancelled_dates=[datetime.date(2030, 10, 29)],
    )
    main, override = vevents(parse(client.get(f"/events/{event.slug}.ics")))
    assert main["RRULE"]["FREQ"] == ["WEEKLY"]
    assert main["RRULE"]["COUNT"] == [4]
    exdate = main["EXDATE"].dts[0].dt
    assert exdate.astimezone(UTC) == datetime.datetime(2030, 10, 22, 15, tzinfo=UTC)
    assert str(override["UID"]) == str(main["UID"])
    assert str(override["STATUS"]) == "CANCELLED"
    # 29 October is after the clocks go back: 16:00 GMT.
    assert override["RECURRENCE-ID"].dt.astimezone(UTC) == datetime.datetime(
        2030, 10, 29, 16, tzinfo=UTC
    )


def test_cancelled_events_are_sent_as_cancelled(client):
    EventFactory(title="Off", status=EventStatus.CANCELLED, cancellation_reason="Illness.")
    (vevent,) = vevents(parse(client.get("/events/feed.ics")))
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert "Illness." in str(vevent["DESCRIPTION"])


def test_all_day_events_use_dates_with_an_exclusive_end(client):
    event = EventFactory(all_day=True, start=local(2030, 3, 30), end=local(2030, 3, 31))
    (vevent,) = vevents(parse(client.get(f"/events/{event.slug}.ics")))
    assert vevent["DTSTART"].dt == datetime.date(2030, 3, 30)
    assert vevent["DTEND"].dt == datetime.date(2030, 4, 1)


def test_feeds_cover_a_bounded_window_and_leave_out_drafts(client, settings):
    assert (settings.CALENDAR_FEED_DAYS_BEFORE, settings.CALENDAR_FEED_DAYS_AFTER) == (31, 183)
    EventFactory(title="Soon")
    EventFactory(title="Last month", start=soon(-30))
    EventFactory(title="In five months", start=soon(150))
    EventFactory(title="Two months ago", start=soon(-60))
    EventFactory(title="In seven months", start=soon(210))
    EventFactory(title="In three years", start=soon(3 * 365))
    EventFactory(title="Draft", status=EventStatus.DRAFT)
    summaries = {str(v["SUMMARY"]) for v in vevents(parse(client.get("/events/feed.ics")))}
    assert summaries == {"Soon", "Last month", "In five months"}
    settings.CALENDAR_FEED_DAYS_AFTER = 365
    summaries = {str(v["SUMMARY"]) for v in vevents(parse(client.get("/events/feed.ics")))}
    assert summaries == {"Soon", "Last month", "In five months", "In seven months"}


def test_strand_feed_has_only_that_strand(client):
    strand = StrandFactory(slug="shahrazad", title="Shahrazad")
    EventFactory(title="Ours", strand=strand)
    EventFactory(title="Theirs")
    calendar = parse(client.get("/events/feed/shahrazad.ics"))
    assert [str(v["SUMMARY"]) for v in vevents(calendar)] == ["Ours"]
    assert "Shahrazad" in str(calendar["X-WR-CALNAME"])


def test_conditional_get_answers_304_until_something_changes(client, django_assert_num_queries):
    event = EventFactory()
    response = client.get("/events/feed.ics")
    etag, last_modified = response["ETag"], response["Last-Modified"]
    # The window's summary and the content generation (the shared cache is PostgreSQL's).
    with django_assert_num_queries(2):
        not_modified = client.get("/events/feed.ics", headers={"if-none-match": etag})
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    since = client.get("/events/feed.ics", headers={"if-modified-since": last_modified})
    assert since.status_code == 304
    event.title = "Changed"
    event.save()
    changed = client.get("/events/feed.ics", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    single = client.get(f"/events/{event.slug}.ics")
    assert (
        client.get(
            f"/events/{event.slug}.ics", headers={"if-none-match": single["ETag"]}
        ).status_code
        == 304
    )


def test_pages_offer_webcal_subscriptions(client):
    strand = StrandFactory(slug="poetry")
    EventFactory(strand=strand)
    content = client.get("/events/").content.decode()
    assert 'href="webcal://testserver/events/feed.ics"' in content
    assert 'href="webcal://testserver/events/feed/poetry.ics"' in content
