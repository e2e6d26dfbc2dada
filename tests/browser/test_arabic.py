"""The portal in Arabic (right to left) in a real browser: home, events, an event and the
volunteer form with its errors, at phone and desktop widths; axe-clean, dir and lang right,
nothing sideways; and the Nu Html Checker over the Arabic and Persian pages (issue 16)."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS
from tests.events.pages import event_paths
from tests.html_validator import html_errors

EVENT = "/ar/events/reading-by-the-writer-in-residence/"
ARABIC_PAGES = ["/ar/", "/ar/events/", EVENT]


def assert_right_to_left_arabic(page) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    # Bootstrap's right-to-left build is the one in use: text starts on the right.
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    stylesheets = page.evaluate("[...document.styleSheets].map(sheet => sheet.href || '')")
    assert any(href.endswith("bootstrap.rtl.min.css") for href in stylesheets)
    assert not any(href.endswith("bootstrap.min.css") for href in stylesheets)


def assert_nothing_sideways(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ARABIC_PAGES)
def test_arabic_pages_are_right_to_left_and_accessible(page, site, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site.url + path)
    assert response.status == 200
    assert_right_to_left_arabic(page)
    assert_accessible(page)
    assert_nothing_sideways(page, width)
    assert page.console_errors == []


@pytest.mark.browser
def test_the_switcher_is_reached_by_keyboard_and_keeps_the_page(page, site):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    page.goto(site.url + EVENT)
    english = page.locator('.site-languages a[hreflang="en-GB"]')
    assert english.inner_text() == "English"
    assert english.get_attribute("lang") == "en-GB"
    for _ in range(10):  # past the skip link: the switcher comes first in the header
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('hreflang')") == "en-GB":
            break
    else:
        raise AssertionError("the English link never received focus by Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(site.url + EVENT.removeprefix("/ar"))
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator('.site-languages a[hreflang="ar"]').inner_text() == "العربية"


@pytest.fixture
def volunteer_site(site, settings):
    settings.REDIS_URL = ""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 1000, "MIN_FILL_SECONDS": 1}
    return site


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_volunteer_form_in_arabic_with_errors(page, volunteer_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(volunteer_site.url + "/ar/volunteer/apply/")
    assert_right_to_left_arabic(page)
    assert_accessible(page)
    page.fill("#id_email", "not-an-address")
    page.get_by_role("button", name="أرسل طلبي").click()
    page.wait_for_selector("#error-summary")
    assert_right_to_left_arabic(page)
    summary = page.locator("#error-summary")
    assert "هناك مشكلة" in summary.inner_text()
    assert "أدخل اسمك." in summary.inner_text()
    assert summary.locator('a[href="#id_email"]').count() == 1
    # The summary sits at the start of the line, the right in Arabic.
    box = summary.bounding_box()
    assert box["x"] + box["width"] >= width * 0.5
    assert_accessible(page)
    assert_nothing_sideways(page, width)
    assert page.console_errors == []


# ---------------------------------------------------------------- the Nu Html Checker


@pytest.mark.urls("tests.urls_error")
def test_arabic_and_persian_pages_are_valid_html(client, demo_content, tmp_path):
    client.raise_request_exception = False
    english = [
        *event_paths(),
        "/",
        "/writers/",
        "/writings/",
        "/writings/window/",  # the demo's Persian poem beside its English translation
        "/volunteer/",
        "/volunteer/apply/",
    ]
    urls = [
        *(f"/ar{path}" for path in english),
        *(f"/fa{path}" for path in ("/", "/events/", "/volunteer/apply/")),
        "/ar/no-such-page/",
    ]
    pages = {url: client.get(url).content.decode() for url in urls}
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
