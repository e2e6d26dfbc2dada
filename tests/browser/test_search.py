"""Search that answers, in a real browser (issue 14): a phone visitor searches
"volunteer" from the header, finds the volunteer page and its roles, and follows a
role to the application form with that role ticked."""

import re

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


def search_from_the_header(page, words):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():  # a phone: the search sits in the menu
        toggler.click()
    field = page.locator("#site-search-q")
    field.wait_for(state="visible")
    field.fill(words)
    field.press("Enter")
    page.wait_for_url("**/search/?q=*")


def test_a_phone_visitor_finds_volunteering_and_applies_for_a_role(page, site):
    from volunteers.models import VolunteerRole

    role = VolunteerRole.objects.current().order_by("order", "title").first()
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(site.url + "/")
    search_from_the_header(page, "volunteer")

    results = page.locator(".search-result")
    assert results.first.locator("a").get_attribute("href") == "/volunteer/"
    titles = page.locator(".search-result__title").all_inner_texts()
    assert "Volunteer with us" in titles
    assert role.title in titles
    kinds = page.locator(".search-kinds__link").all_inner_texts()
    assert any(re.fullmatch(r"Volunteering \(\d+\)", kind) for kind in kinds)
    assert page.locator(".search-result mark").count() > 0
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    assert_accessible(page)
    assert page.console_errors == []

    page.get_by_role("link", name=role.title, exact=True).click()
    page.wait_for_url(f"**/volunteer/apply/?role={role.slug}")
    assert page.get_by_role("checkbox", name=re.compile(re.escape(role.title))).is_checked()


def test_filtering_to_one_kind_keeps_the_query(page, site):
    page.goto(site.url + "/search/?q=volunteer")
    page.locator(".search-kinds__link", has_text="Volunteering").click()
    page.wait_for_url("**/search/?q=volunteer&kind=volunteering")
    assert page.locator("#search-q").input_value() == "volunteer"
    assert set(page.locator(".search-result__kind").all_inner_texts()) <= {
        "VOLUNTEERING",
        "VOLUNTEER ROLE",
    }
    assert page.locator(".search-kinds__link[aria-current]").inner_text().startswith("Volunteering")
    assert_accessible(page)


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_results_offers_a_spelling_and_the_main_doors(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site.url + "/search/?q=volunter+stewrd")
    assert page.get_by_role("status").first.inner_text().startswith("Nothing matched")
    suggestion = page.locator(".search-suggestion a")
    assert suggestion.inner_text() == "volunteer steward"
    for name in (
        "Calendar of Events",
        "Writers in residence",
        "Our programme",
        "Volunteer with us",
    ):
        assert page.locator(".search-doors").get_by_role("link", name=name).is_visible()
    assert_accessible(page)
    suggestion.click()
    page.wait_for_url("**/search/?q=volunteer%20steward")
    assert page.locator(".search-result").count() > 0


def test_search_in_arabic_right_to_left(page, site):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(site.url + "/ar/search/?q=volunteer")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".search-result").count() > 0
    english = page.locator('.search-result__title a[lang="en"]')
    if english.count():
        assert english.first.get_attribute("dir") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    assert_accessible(page)
