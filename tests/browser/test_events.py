import datetime

import pytest
from django.utils import timezone

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS
from tests.events.pages import event_paths

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_event_pages_have_no_accessibility_violations(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in event_paths():
        page.goto(site.url + path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
        assert page.console_errors == [], path


def test_a_visitor_filters_to_young_peoples_events_and_opens_one(page, site):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(site.url + "/events/")
    page.get_by_label("For").select_option("young-people")
    page.get_by_role("button", name="Show events").click()
    page.wait_for_url("**/events/?*audience=young-people*")
    titles = page.locator(".event-card__title").all_inner_texts()
    assert titles
    assert all("Strangers and Canaries" in t or "competition" in t for t in titles)
    page.locator(".event-card__title a").first.click()
    assert page.get_by_role("link", name="Download an iCalendar file (.ics)").is_visible()


def test_the_month_grid_is_a_table_on_desktop_and_a_list_on_a_phone(page, site):
    today = timezone.localdate()
    page.goto(site.url + f"/events/calendar/{today.year}/{today.month}/")
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.month-grid tbody tr')).display"
    ) == ("table-row")
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.month-grid tbody tr')).display"
    ) == ("block")
    assert (
        not page.locator(".month-grid thead").is_visible()
        or page.evaluate(
            "document.querySelector('.month-grid thead').getBoundingClientRect().height"
        )
        <= 1
    )


def test_the_events_changelist_fits_1024_and_1280_px(page, site):
    """Staff on a small laptop see every column of the events list without scrolling
    sideways; long titles wrap (tests/browser/test_admin_lists.py checks 1280 px too)."""
    from tests.browser.conftest import sign_in_as_staff
    from tests.browser.test_admin_lists import OVERFLOW
    from tests.events.factories import EventFactory

    EventFactory(
        title="A reading and conversation with the writer in residence, in English and "
        "Arabic, with translations read by volunteers",
        start=timezone.now() + datetime.timedelta(days=3),
    )
    sign_in_as_staff(page, site)
    for width in (1024, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site.url + "/admin/events/event/")
        headers = " | ".join(page.locator("#result_list thead th").all_inner_texts()).lower()
        for column in ("title", "strand", "status", "repeats", "next date"):
            assert column in headers, (width, headers)
        assert page.evaluate(OVERFLOW) == {"page": 0, "results": 0}, width
    assert page.console_errors == []
