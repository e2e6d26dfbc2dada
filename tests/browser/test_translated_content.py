"""Staff-edited content in Arabic in a real browser (issue 16, layer 3): the programme page
at phone and desktop widths shows the demo's translated strand in Arabic and the others in
English, marked lang="en" dir="ltr" with the note; axe-clean, nothing sideways."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS
from tests.browser.test_arabic import assert_nothing_sideways, assert_right_to_left_arabic

NOTE_AR = "لم يُترجَم بعد — معروض بالإنجليزية"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_translated_and_untranslated_strands_side_by_side_in_arabic(page, site, width):
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(site.url + "/ar/programme/")
    assert response.status == 200
    assert_right_to_left_arabic(page)

    translated = page.locator(".strand-overview h2", has_text="البرنامج المجتمعي")
    assert translated.inner_text() == "البرنامج المجتمعي"
    assert translated.locator("a").get_attribute("lang") is None

    english = page.locator(".strand-overview h2 a[lang='en']").first
    assert english.inner_text() == "Writer in Residence"
    assert english.get_attribute("dir") == "ltr"
    assert (
        page.evaluate(
            "getComputedStyle(document.querySelector(\".strand-overview h2 a[lang='en']\"))"
            ".direction"
        )
        == "ltr"
    )
    notes = page.locator(".untranslated-note")
    assert notes.count() == 2  # Writer in Residence and Shahrazad, once each
    assert notes.first.inner_text() == NOTE_AR

    assert_accessible(page)
    assert_nothing_sideways(page, width)
    assert page.console_errors == []
