"""The rich-text editor under the site's strict CSP (issue 11, item 5).

The editor used to inject its styles as a <style> element, which `style-src 'self'` refuses;
without them the browser turned every typed space into a no-break space, and a strand's body
became one line 2,126 px wide on a phone. These tests type as a person would, save, and look
at what was stored, at the admin's console and at the public page on a phone.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.admin import FormattedTextAdmin
from tests.browser.conftest import sign_in_as_staff

pytestmark = pytest.mark.browser

PARAGRAPH = (
    "Writers in residence read their new work at the library on Thursday evenings, and "
    "everyone who comes along is welcome to stay for the conversation afterwards."
)
EDITOR = ".ProseMirror[contenteditable=true]"
# Injected through the DevTools protocol, so the CSP under test does not apply to it.
WATCH_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def no_break_spaces(html: str) -> list[str]:
    return [mark for mark in ("&nbsp;", "\xa0", "&#160;") if mark in html]


def assert_console_clean(page) -> None:
    assert page.evaluate("window.cspViolations") == []
    assert page.console_errors == []


def test_typed_spaces_are_stored_as_spaces_and_the_page_wraps_on_a_phone(page, site):
    from programme.models import Strand

    strand = Strand.objects.published().first()
    page.add_init_script(WATCH_CSP)
    sign_in_as_staff(page, site)
    page.goto(site.url + reverse("admin:programme_strand_change", args=[strand.pk]))

    editor = page.locator(f".field-body_en {EDITOR}")  # the English body (issue 16)
    editor.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.press("Delete")
    page.keyboard.type(PARAGRAPH)
    # What the editor itself writes into the form, before the server cleans anything.
    assert no_break_spaces(page.locator("#id_body_en").input_value()) == []
    assert_console_clean(page)

    page.click("input[name=_save]")
    page.wait_for_url("**/admin/programme/strand/")
    strand.refresh_from_db()
    assert strand.body == f"<p>{PARAGRAPH}</p>"

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.url + strand.get_absolute_url())
    assert page.get_by_text(PARAGRAPH).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_console_clean(page)


def test_every_form_with_the_editor_has_its_styles_and_a_clean_console(page, site):
    from core.fields import FormattedTextField

    pages, with_editor = [], set()  # (path, whether it shows an editor); models with one
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, FormattedTextAdmin):
            opts = model._meta
            has_editor = any(isinstance(field, FormattedTextField) for field in opts.fields)
            if has_editor:
                with_editor.add(opts.label)
            item = model._default_manager.first()
            assert item is not None, f"the demo content has no {opts.verbose_name}"
            url_name = f"admin:{opts.app_label}_{opts.model_name}"
            pages += [
                (reverse(f"{url_name}_add"), has_editor),
                (reverse(f"{url_name}_change", args=[item.pk]), has_editor),
                (reverse(f"{url_name}_changelist"), False),
            ]
    assert with_editor >= {
        "programme.Strand", "programme.Project", "programme.Writer", "programme.Page",
        "programme.HomePage", "events.Event",
    }  # fmt: skip

    page.add_init_script(WATCH_CSP)
    sign_in_as_staff(page, site)
    for path, has_editor in pages:
        response = page.goto(site.url + path)
        if path == reverse("admin:programme_homepage_add") and response.status == 403:
            page.console_errors.clear()  # there is only ever one home page, and it exists
            continue
        assert response.ok, path
        # The editor module loads on every page of these models; it must find its place.
        page.wait_for_load_state("networkidle")
        if has_editor:
            editor = page.locator(EDITOR).first
            editor.wait_for()
            assert editor.evaluate("e => getComputedStyle(e).whiteSpace") in {
                "pre-wrap",
                "break-spaces",
            }, path
        assert page.locator("style").count() == 0, path
        assert page.evaluate("window.cspViolations") == [], path
        assert page.console_errors == [], path


def test_an_arabic_body_is_edited_right_to_left_in_arabic(page, site):
    """The editor of a translated body takes its field's language and direction."""
    from programme.models import Strand

    strand = Strand.objects.published().first()
    sign_in_as_staff(page, site)
    page.goto(site.url + reverse("admin:programme_strand_change", args=[strand.pk]))
    for language, direction in (("ar", "rtl"), ("fa", "rtl")):
        editor = page.locator(f".field-body_{language} {EDITOR}")
        editor.wait_for(state="attached")
        assert editor.get_attribute("lang") == language
        assert editor.get_attribute("dir") == direction
        assert editor.evaluate("element => getComputedStyle(element).direction") == direction
    english = page.locator(f".field-body_en {EDITOR}")
    assert english.evaluate("element => getComputedStyle(element).direction") == "ltr"
    assert page.console_errors == []
