"""Finding what is on: quick dates, dates of one's own, the month view's filters (issue 14)."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


def test_this_month_for_young_people_on_a_phone(page, site):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(site.url + "/events/?audience=young-people")
    page.get_by_role("link", name="This month").click()  # the filters stay
    page.wait_for_url("**/events/?audience=young-people&when=this-month")
    assert page.get_by_label("For").input_value() == "young-people"
    assert page.get_by_label("When").input_value() == "this-month"
    assert page.locator(".quick-dates a[aria-current]").inner_text() == "This month"
    today = timezone.localdate()
    heading = page.locator(".event-month__heading")
    if heading.count():
        assert heading.first.inner_text() == today.strftime("%B %Y")
    assert_accessible(page)
    assert page.console_errors == []


def test_dates_of_ones_own_with_the_browsers_date_inputs(page, site):
    page.goto(site.url + "/events/")
    start = timezone.localdate() + datetime.timedelta(days=1)
    end = start + datetime.timedelta(days=30)
    page.get_by_label("From").fill(start.isoformat())
    page.get_by_label("To").fill(end.isoformat())
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url(f"**/events/?*start={start.isoformat()}*")
    assert page.get_by_label("From").input_value() == start.isoformat()
    for text in page.locator(".event-month__heading").all_inner_texts():
        month = datetime.datetime.strptime(text, "%B %Y").date()  # noqa: DTZ007 (a month name)
        assert start.replace(day=1) <= month <= end
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_month_view_keeps_the_filters_and_leads_to_next_month(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + "/events/calendar/?audience=young-people")
    today = timezone.localdate()
    assert f"/events/calendar/{today.year}/{today.month}/?audience=young-people" in page.url
    assert page.get_by_label("For").input_value() == "young-people"
    page.locator(".month-next a").click()
    assert "audience=young-people" in page.url
    assert page.get_by_role("link", name="Back to this month").is_visible()
    assert_accessible(page)
    assert page.console_errors == []


def test_a_phone_visitor_finds_this_months_young_peoples_events_and_takes_one_date(page, site):
    """The issue's "done when": two taps from the list to "this month, young people", then
    one date of an event into their own calendar, as a file with exactly that date."""
    import re

    import icalendar

    from events.models import Occurrence

    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(site.url + "/events/")
    clicks = 0
    page.locator(".quick-audiences").get_by_role("link", name="Young people").click()
    clicks += 1
    page.wait_for_url("**/events/?audience=young-people")
    page.locator(".quick-dates").get_by_role("link", name="This month").click()
    clicks += 1
    page.wait_for_url("**/events/?audience=young-people&when=this-month")
    assert clicks == 2
    assert page.get_by_label("For").input_value() == "young-people"
    assert page.get_by_label("When").input_value() == "this-month"
    assert page.locator(".quick-audiences a[aria-current]").inner_text() == "Young people"
    assert page.locator(".quick-dates a[aria-current]").inner_text() == "This month"
    cards = page.locator(".event-card__title a")
    assert cards.count() >= 1
    assert_accessible(page)

    cards.first.click()
    page.wait_for_url(re.compile(r".*/events/[^/]+/\?on=\d{4}-\d{2}-\d{2}$"))
    slug, on = re.search(r"/events/([^/]+)/\?on=([\d-]+)$", page.url).groups()
    today = timezone.localdate()
    assert on[:7] == f"{today:%Y-%m}"  # this month's date, as chosen
    assert_accessible(page)
    link = page.locator(f'.add-to-calendar a[href="/events/{slug}/{on}.ics"]')
    with page.expect_download() as download_info:
        link.first.click()
    download = download_info.value
    assert download.suggested_filename == f"{slug}-{on}.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    (vevent,) = calendar.walk("VEVENT")
    occurrence = Occurrence.objects.get(
        event__slug=slug, start__date=datetime.date.fromisoformat(on)
    )
    local_start = timezone.localtime(occurrence.start)
    if occurrence.event.all_day:
        assert vevent.start == local_start.date()
    else:
        assert str(vevent.start.tzinfo) == "Europe/London"
        assert vevent.start.date().isoformat() == on
        assert (vevent.start.hour, vevent.start.minute) == (local_start.hour, local_start.minute)
        assert f"{local_start:%H:%M}" in page.locator(".facts").first.inner_text()
    assert page.console_errors == []
