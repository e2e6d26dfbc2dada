"""Menus staff control (issue 13): an editor writes a page "For schools", publishes it and
puts it in the header menu in the admin; a visitor on a phone (menu opened) and on a wide
screen, in English and in Arabic, sees it in the header and reaches it. Axe-clean.

The menu form's screenshots for the staff guide land in test-artifacts/docs-img, or in
docs/img with UPDATE_DOCS_IMAGES=1 (as tests/browser/test_admin_repeats.py does).
"""

import importlib
import os
from pathlib import Path

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS, restore_staff_roles

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS_IMG = (
    ROOT / "docs" / "img"
    if os.environ.get("UPDATE_DOCS_IMAGES") == "1"
    else ROOT / "test-artifacts" / "docs-img"
)
MENU_PERMISSIONS = "programme.migrations.0015_seed_menus_and_editor_permissions"


def sign_in_as_editor(page, site) -> None:
    """A content editor (not a superuser), with the roles the migrations give."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    restore_staff_roles()
    importlib.import_module(MENU_PERMISSIONS).grant(apps, None)
    editor = get_user_model().objects.create_user(
        "editor", password="a-long-password-123", is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Content editor"))
    device = TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-123")
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def assert_clean(page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways"
    assert_accessible(page)
    assert page.console_errors == [], page.url


def test_an_editor_puts_a_new_page_in_the_header_and_visitors_reach_it(page, browser, site):
    from programme.demo_content import load_menus
    from programme.models import Menu, MenuPlace, Page

    load_menus()  # the tables were emptied after the last live-server test
    sign_in_as_editor(page, site)

    # 1. The page, written and published.
    page.goto(site.url + "/admin/programme/page/add/")
    page.fill("#id_title_en", "For schools")
    page.fill("#id_summary_en", "Workshops and visits for Norfolk schools.")
    assert page.input_value("#id_slug") == "for-schools"
    page.select_option("#id_status", "published")
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")
    schools = Page.objects.get(slug="for-schools")
    assert schools.is_published()

    # 2. From the page's form to the header menu, and the page added as a link.
    page.get_by_role("link", name="Add to the header menu").click()
    header = Menu.objects.get(place=MenuPlace.HEADER)
    page.wait_for_url(f"**/admin/programme/menu/{header.pk}/change/")
    assert_clean(page)
    new = page.locator(".inline-related:not(.empty-form):not(.has_original)").last
    new.locator(".fieldBox.field-page .select2-selection").click()
    page.locator(".select2-search__field").fill("schools")
    page.locator(".select2-results__option", has_text="For schools").click()
    new.locator("input[name$='-order']").fill("75")
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    new.screenshot(path=DOCS_IMG / "menu-link.png")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/programme/menu/")
    assert "was changed successfully" in page.content()
    assert_clean(page)  # the changelist, at 1280 px
    assert header.items.filter(page=schools, order=75).exists()

    # 3. A visitor, on a wide screen and on a phone, in English and in Arabic.
    visitor = browser.new_context().new_page()
    visitor.console_errors = []
    visitor.on("console", lambda m: m.type == "error" and visitor.console_errors.append(m.text))
    for prefix in ("", "/ar"):
        for width in (WIDTHS["desktop"], WIDTHS["phone"]):
            reach_for_schools_from_the_header(visitor, site, prefix, width)
    visitor.context.close()


def reach_for_schools_from_the_header(visitor, site, prefix: str, width: int) -> None:
    visitor.set_viewport_size({"width": width, "height": 900})
    visitor.goto(site.url + f"{prefix}/events/")
    nav = visitor.locator("nav.navbar")
    toggler = nav.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
        visitor.locator("#site-nav.show").wait_for()
    link = nav.get_by_role("link", name="For schools")
    assert link.is_visible(), (prefix, width)
    assert link.get_attribute("href") == f"{prefix}/pages/for-schools/"
    if prefix:
        assert link.get_attribute("lang") == "en"  # not yet translated: marked English
    assert_clean(visitor)
    link.click()
    visitor.wait_for_url(f"**{prefix}/pages/for-schools/")
    assert visitor.locator("h1").inner_text() == "For schools"
    current = nav.locator("[aria-current=page]")
    assert current.get_attribute("href") == f"{prefix}/pages/for-schools/"
    assert_clean(visitor)
