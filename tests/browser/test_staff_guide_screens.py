"""The staff guide's screenshots, taken as staff work (issue 13): cancelling one date of a
series with its reason, publishing pages from the list, new volunteers to work through and
exporting them. Each page is checked as it is photographed (no console error, no sideways
scroll, axe). They land in test-artifacts/docs-img, or in docs/img with
UPDATE_DOCS_IMAGES=1 (as tests/browser/test_admin_repeats.py does)."""

import os
from pathlib import Path

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in_as_staff

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS_IMG = (
    ROOT / "docs" / "img"
    if os.environ.get("UPDATE_DOCS_IMAGES") == "1"
    else ROOT / "test-artifacts" / "docs-img"
)


def assert_clean(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways"
    assert_accessible(page)
    assert page.console_errors == [], page.url


def test_the_staff_guide_screens(page, site):
    from events.models import Event

    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    sign_in_as_staff(page, site)

    # Cancel one date of the after-school workshops, with the reason visitors see.
    workshops = Event.objects.get(slug="strangers-and-canaries-workshops")
    page.goto(f"{site.url}/admin/events/event/{workshops.pk}/change/")
    assert_clean(page)
    cancel = page.locator("fieldset:has(#id_repeats)")
    cancel.screenshot(path=DOCS_IMG / "cancel-a-date.png")

    # Pages: tick, choose "Publish", go.
    page.goto(f"{site.url}/admin/programme/page/")
    assert_clean(page)
    page.locator("input.action-select").first.check()
    action = page.locator("select[name=action]")
    publish = action.locator("option", has_text="Publish").first.get_attribute("value")
    action.select_option(publish)
    page.locator("#changelist-form").screenshot(path=DOCS_IMG / "publish-pages.png")

    # New volunteers to work through (confirmed sign-ups), and the export among the actions.
    from tests.volunteers.factories import VolunteerApplicationFactory
    from volunteers.models import VolunteerRole

    mentor = VolunteerRole.objects.current().first()
    for name in ("Amira Haddad", "Tomasz Nowak", "Grace Mensah"):
        VolunteerApplicationFactory(name=name, roles=[mentor])
    page.goto(f"{site.url}/admin/volunteers/volunteerapplication/?status__exact=new")
    assert_clean(page)
    page.locator("#changelist").screenshot(path=DOCS_IMG / "new-volunteers.png")
    page.locator("#action-toggle").check()
    action = page.locator("select[name=action]")
    export = action.locator("option", has_text="CSV").first.get_attribute("value")
    action.select_option(export)
    with page.expect_download() as download:
        page.locator("button[name=index]").click()
    assert download.value.suggested_filename.endswith(".csv")
    page.locator("#changelist-form .actions").screenshot(path=DOCS_IMG / "export-volunteers.png")
