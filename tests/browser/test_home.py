import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_home_has_no_accessibility_violations(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + "/")
    assert page.locator("h1").inner_text() == "Norwich, City of Refuge"
    assert_accessible(page)
    # Our CSP forbids inline code; a violation would show as a console error.
    assert page.console_errors == []


@pytest.mark.parametrize("path", ["/programme/", "/programme/shahrazad/", "/writers/",
                                  "/writers/jiao-guobiao/", "/about/", "/supporters/",
                                  "/events/", "/volunteer/", "/no-such-page/"])  # fmt: skip
def test_pages_have_no_accessibility_violations(page, site, path):
    page.goto(site.url + path)
    assert_accessible(page)
    assert page.console_errors == [] or path == "/no-such-page/"


def test_skip_link_is_first_and_moves_focus_to_main(page, site):
    page.goto(site.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_phone_menu_opens_and_reaches_every_section(page, site):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + "/")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    assert not page.get_by_role("link", name="Volunteer", exact=True).is_visible()
    menu.click()
    volunteer = page.get_by_role("link", name="Volunteer", exact=True)
    volunteer.wait_for(state="visible")
    volunteer.click()
    page.wait_for_url("**/volunteer/")
    assert page.locator("h1").inner_text() == "Volunteer with us"


def test_the_menu_is_open_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(site.url + "/")
    assert page.get_by_role("link", name="Writers", exact=True).is_visible()
    context.close()


def test_stylesheets_load_and_the_theme_applies(page, site):
    page.goto(site.url + "/")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 248, 241)"  # the portal's paper, not Bootstrap's white
