"""The header's menu button on a phone, without Bootstrap's JavaScript (static/js/menu.js):
it opens and closes the menu, says so to assistive technology, and Escape closes it and
gives the focus back (issue 14: the home page's first load within its 120 KB)."""

import pytest

from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_the_menu_button_opens_and_closes_the_menu(page, site, prefix):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(site.url + prefix + "/")
    button = page.locator(".navbar-toggler")
    menu = page.locator("#site-nav")
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    assert page.locator("#site-nav a[href$='/events/']").is_visible()

    button.click()
    assert button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()

    button.click()
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('navbar-toggler')")
    assert page.console_errors == []


def test_no_bootstrap_javascript_is_loaded(page, site):
    scripts = []
    page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    page.goto(site.url + "/")
    assert scripts, "menu.js"
    assert not [url for url in scripts if "bootstrap" in url]
