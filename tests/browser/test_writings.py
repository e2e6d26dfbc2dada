"""A writing beside its translation in a real browser: right to left inside an English
page, side by side on a wide screen, one after the other on a phone, axe-clean (issue 16)."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS
from tests.programme.factories import WritingVersionFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def writings_site(site):
    """The demo (a Persian poem beside its English translation) and an Arabic original
    with two translations."""
    arabic = WritingVersionFactory(
        writing__slug="letters", writing__title="Letters to the sea", language="ar",
        title="رسائل إلى البحر", text="كتبتُ إليك من مدينةٍ بعيدة\nوالبحرُ يقرأ معي\n\nكلَّ صباح",
    )  # fmt: skip
    for language, title, text in [
        ("en", "Letters to the sea", "I wrote to you from a far city\nand the sea reads with me"),
        ("fr", "Lettres à la mer", "Je t’ai écrit d’une ville lointaine"),
    ]:
        WritingVersionFactory(
            writing=arabic.writing, language=language, is_original=False, title=title,
            text=text, translator="A. Translator",
        )  # fmt: skip
    return site


def boxes(page):
    return [
        page.locator(f"#{anchor}").bounding_box()
        for anchor in page.locator(".writing-version").evaluate_all(
            "sections => sections.map(section => section.id)"
        )
    ]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", ["/writings/window/", "/writings/letters/?with=fr", "/writings/"])
def test_writings_pages_are_accessible(page, writings_site, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(writings_site.url + path)
    assert_accessible(page)
    assert page.console_errors == []


def test_the_persian_original_runs_right_to_left_beside_its_english_translation(
    page, writings_site
):
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    page.goto(writings_site.url + "/writings/window/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    persian = page.locator("#version-fa .writing-version__text")
    english = page.locator("#version-en .writing-version__text")
    assert persian.get_attribute("lang") == "fa"
    assert persian.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert english.evaluate("element => getComputedStyle(element).direction") == "ltr"
    # Persian text starts at the right edge of its column: its lines are right-aligned.
    assert persian.evaluate("element => getComputedStyle(element).textAlign") in {"start", "right"}
    # Side by side: same top, the original first in the reading order of the page (left).
    original, translation = boxes(page)
    assert abs(original["y"] - translation["y"]) < 2
    assert original["x"] + original["width"] <= translation["x"]
    # The Arabic-script font stack is chosen for the Persian text, not the Latin web font.
    family = persian.evaluate("element => getComputedStyle(element).fontFamily")
    assert "Noto Sans Arabic" in family
    assert "Source Serif" not in family


def test_on_a_phone_the_versions_follow_one_another(page, writings_site):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 900})
    page.goto(writings_site.url + "/writings/window/")
    original, translation = boxes(page)
    assert original["y"] + original["height"] <= translation["y"]
    assert abs(original["width"] - translation["width"]) < 2
    no_sideways_scroll = "() => document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_sideways_scroll)


def test_read_in_switches_the_translation_without_javascript(browser, writings_site):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    try:
        page.goto(writings_site.url + "/writings/letters/")
        assert page.locator(".writing-version").count() == 2
        assert page.locator("#version-ar .writing-version__text").get_attribute("dir") == "rtl"
        page.get_by_role("navigation", name="Read in").get_by_role("link", name="français").click()
        page.wait_for_url("**/writings/letters/?with=fr#version-fr")
        assert page.locator("#version-fr h2").inner_text() == "Lettres à la mer"
        assert page.locator("#version-en").count() == 0
        assert page.locator("#version-ar").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_in_the_arabic_interface_a_writing_sits_beside_its_english_translation(
    page, writings_site, width
):
    """The Arabic site, right to left, showing an Arabic original beside its English
    translation: each column with its own language and direction, axe-clean."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(writings_site.url + "/ar/writings/letters/?with=en")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    arabic = page.locator("#version-ar .writing-version__text")
    english = page.locator("#version-en .writing-version__text")
    assert arabic.get_attribute("lang") == "ar"
    assert english.get_attribute("lang") == "en"
    assert arabic.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert english.evaluate("element => getComputedStyle(element).direction") == "ltr"
    original, translation = boxes(page)
    if width >= WIDTHS["desktop"]:
        # Side by side; in a right-to-left page the original comes first, on the right.
        assert abs(original["y"] - translation["y"]) < 2
        assert translation["x"] + translation["width"] <= original["x"]
    else:
        assert original["y"] + original["height"] <= translation["y"]
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    assert page.console_errors == []
