"""Screenshots of the pages a visitor meets first, at four widths, for people to look at
(test-artifacts/screens/, git-ignored); each also checked for overflow and axe (issue 14)."""

import io

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

SCREEN_WIDTHS = (375, 768, 1024, 1280)
PAGES = {
    "home": "/",
    "events": "/events/",
    "event": "/events/reading-by-the-writer-in-residence/",
    "writers": "/writers/",
    "volunteer-form": "/volunteer/apply/",
    "not-found": "/no-such-page/",
}


@pytest.mark.parametrize("width", SCREEN_WIDTHS)
def test_screenshots_at_four_widths(page, live_server, transactional_db, settings, width):
    from django.core.management import call_command

    settings.DEMO_PICTURES = True  # the cards as a new programme sees them
    call_command("load_demo", stdout=io.StringIO())
    site = live_server
    folder = ARTIFACTS / "screens"
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    for name, path in PAGES.items():
        page.goto(site.url + path)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images load
        page.wait_for_load_state("networkidle")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways at {width}px"
        assert page.locator("img:not([alt])").count() == 0, path
        assert_accessible(page)
        if name != "not-found":  # the page itself answers 404, which the console reports
            assert page.console_errors == [], path
