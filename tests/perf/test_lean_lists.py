"""Lists of dates read only what they show (``for_cards``, ``calendar_dates``): what they
leave out must never be fetched row by row when a page does need it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import EventStatus
from tests.events.factories import EventFactory, VenueFactory, soon
from tests.programme.factories import StrandFactory

pytestmark = pytest.mark.django_db

MAY = "/events/calendar/2030/5/"
DAY = "/events/calendar/2030/5/14/"


def local(*parts) -> datetime.datetime:
    from django.utils import timezone

    return datetime.datetime(*parts, tzinfo=timezone.get_default_timezone())


def series(title: str, **overrides):
    return EventFactory(
        title=title,
        start=local(2030, 5, 7, 16),
        end=local(2030, 5, 7, 17),
        rrule="FREQ=WEEKLY;COUNT=4",
        **overrides,
    )


def queries(client, path: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


@pytest.mark.parametrize("path", [MAY, DAY])
@pytest.mark.parametrize("language", ["", "/ar"])
def test_cancellations_titles_and_venues_cost_no_query_a_date(client, path, language):
    strand = StrandFactory(title="Young people", title_ar="الشباب")
    series("First workshop", strand=strand, venue=VenueFactory(name="Central Library"))
    before, _page = queries(client, language + path)
    for n in range(3):
        series(
            f"Workshop {n}",
            title_ar=f"ورشة {n}",
            strand=strand,
            venue=VenueFactory(name=f"Hall {n}"),
            cancelled_dates=[datetime.date(2030, 5, 14)],
            cancelled_reasons={"2030-05-14": f"The writer is unwell ({n})"},
        )
    series(
        "Called off",
        strand=strand,
        status=EventStatus.CANCELLED,
        cancellation_reason="The hall flooded",
    )
    after, page = queries(client, language + path)
    assert after == before
    assert "The writer is unwell (2)" in page
    assert "The hall flooded" in page
    if language:
        assert "ورشة 1" in page
        assert 'lang="en"' in page  # "Called off" has no Arabic title: shown in English
    else:
        assert "Workshop 1" in page


def test_event_cards_cost_no_query_a_card(client):
    """The home page, the upcoming and past lists and a day show cards without the
    events' long texts, which a card never reaches for."""
    strand = StrandFactory()

    def add(count: int) -> None:
        for _ in range(count):
            for days in (3, -3):
                EventFactory(
                    strand=strand,
                    venue=VenueFactory(),
                    start=soon(days),
                    summary="A summary " * 50,
                )

    add(2)
    paths = ("/", "/events/", "/events/past/", "/ar/events/", day_path(3), day_path(-3))
    counts = {path: queries(client, path)[0] for path in paths}
    add(6)
    for path, before in counts.items():
        after, page = queries(client, path)
        assert after == before, path
        assert page.count("event-card__title") >= 3, path


def day_path(days: int) -> str:
    day = soon(days).date()
    return f"/events/calendar/{day.year}/{day.month}/{day.day}/"
