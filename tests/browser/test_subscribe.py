"""Subscribing to the calendar in a real browser (issue 14): a phone visitor copies the
all-events address, and it returns a valid calendar."""

import icalendar
import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


@pytest.fixture
def clipboard_page(browser, site):
    context = browser.new_context(viewport={"width": WIDTHS["phone"], "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.url)
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    context.close()


def test_a_phone_visitor_copies_the_all_events_address(clipboard_page, site, client):
    page = clipboard_page
    page.goto(site.url + "/events/")
    page.get_by_role("link", name="Subscribe to our calendar", exact=False).first.click()
    page.wait_for_url("**/events/subscribe/")

    copy = page.locator('[data-copy-target="feed-all-address"]')
    assert copy.is_visible()  # shown by the script
    copy.click()
    status = page.locator("#feed-all-status")
    status.filter(has_text="Copied").wait_for()
    assert status.get_attribute("role") == "status"

    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("https://")
    assert copied.endswith("/events/feed.ics")
    assert copied == page.locator("#feed-all-address").input_value()

    # The address is the site's own: fetched over https, it is a calendar.
    path = copied.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, secure=True)
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.walk("VEVENT"), "the feed holds the demo events"

    qr = page.locator(".calendar-feed__qr").first
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    assert page.console_errors == []


def test_without_javascript_the_address_stays_selectable(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/events/subscribe/")
    assert not page.locator('[data-copy-target="feed-all-address"]').is_visible()
    field = page.locator("#feed-all-address")
    assert field.is_visible()
    assert not field.is_editable()
    assert field.input_value().startswith("https://")
    context.close()


@pytest.mark.parametrize(
    ("path", "width"),
    [
        ("/events/subscribe/", WIDTHS["phone"]),
        ("/events/subscribe/", WIDTHS["desktop"]),
        ("/ar/events/subscribe/", WIDTHS["phone"]),
        ("/ar/events/subscribe/", WIDTHS["desktop"]),
    ],
    ids=["phone", "desktop", "arabic-phone", "arabic-desktop"],
)
def test_the_page_is_accessible(page, site, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + path)
    assert page.locator(".calendar-feed").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    assert page.console_errors == []
