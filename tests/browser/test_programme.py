import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS, sign_in_as_staff
from tests.programme.factories import WriterFactory
from tests.programme.images import phone_photo

pytestmark = pytest.mark.browser

PAGES = [
    "/programme/",
    "/programme/community-programme/",
    "/programme/community-programme/strangers-and-canaries/",
    "/writers/",
    "/writers/?page=2",
    "/writers/jiao-guobiao/",
    "/writers/poet-with-a-portrait/",
    "/about/",
    "/search/?q=refugee+stories",
    "/search/?q=nothing-matches-this",
]


@pytest.fixture
def programme_site(site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    WriterFactory(
        name="Poet with a portrait",
        slug="poet-with-a-portrait",
        portrait=phone_photo(900, 1200, orientation=1),
        portrait_alt="The poet reading aloud",
        show_portrait=True,
    )
    WriterFactory.create_batch(24)  # so the writers list has a second page
    return site


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("path", PAGES)
def test_programme_pages_are_accessible(page, programme_site, path, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(programme_site.url + path)
    assert_accessible(page)
    assert page.console_errors == []


def test_a_visitor_finds_a_project_by_searching_from_the_header(page, programme_site):
    page.goto(programme_site.url + "/")
    page.get_by_role("searchbox", name="Search the site").fill("canaries")
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    page.wait_for_url("**/search/?q=canaries")
    page.get_by_role("link", name="Strangers and Canaries").first.click()
    assert page.locator("h1").inner_text() == "Strangers and Canaries"


def test_a_portrait_loads_from_its_renditions(page, programme_site):
    page.goto(programme_site.url + "/writers/poet-with-a-portrait/")
    portrait = page.get_by_role("img", name="The poet reading aloud")
    portrait.wait_for()
    assert portrait.evaluate("img => img.complete && img.naturalWidth > 0")
    assert ".webp" in portrait.evaluate("img => img.currentSrc")


def test_staff_write_formatted_text_in_the_editor(page, site):
    sign_in_as_staff(page, site)
    from programme.models import Strand

    strand = Strand.objects.get(slug="community-programme")
    page.goto(site.url + f"/admin/programme/strand/{strand.pk}/change/")
    editor = page.locator(".prose-editor .ProseMirror:visible").first
    editor.wait_for()
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("A new paragraph from the editor.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/programme/strand/")
    page.goto(site.url + "/programme/community-programme/")
    assert page.get_by_text("A new paragraph from the editor.").is_visible()
    # The only CSP report comes from Tiptap trying to inject its default <style>,
    # which our policy blocks on purpose (editor.css already provides it).
    assert all("inline style" in error for error in page.console_errors)
