"""An editor hides a writer and records another's withdrawn consent by bulk action; the
public writers page follows at once, and the console stays quiet."""

import pytest

from tests.browser.test_admin_repeats import DOCS_IMG, sign_in_as_editor

pytestmark = pytest.mark.browser


def choose_and_run(page, writer, action: str) -> None:
    page.check(f"input[name=_selected_action][value='{writer.pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_an_editor_hides_a_writer_and_records_withdrawn_consent(page, site):
    from programme.models import Writer
    from tests.programme.factories import WriterFactory

    hidden = Writer.objects.public().order_by("name").first()  # from the demo content
    withdrawn = WriterFactory(name="Laila Example", slug="laila-example")
    sign_in_as_editor(page, site)

    page.goto(site.url + "/admin/programme/writer/")
    choose_and_run(page, hidden, "make_hidden")
    assert "1 writer hidden." in page.locator(".messagelist").inner_text()

    choose_and_run(page, withdrawn, "withdraw_consent")
    page.fill("textarea[name=note]", "Asked by email on 3 March")
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=DOCS_IMG / "withdraw-consent.png")
    page.click("input[type=submit].default")
    assert "Consent withdrawn recorded for 1 writer" in page.locator(".messagelist").inner_text()

    withdrawn.refresh_from_db()
    assert withdrawn.history.first().history_change_reason == "Asked by email on 3 March"
    anonymous = page.context.browser.new_context()
    try:
        public_page = anonymous.new_page()
        public_page.goto(site.url + "/writers/")
        listed = public_page.locator("main").inner_text()
        assert hidden.name not in listed
        assert withdrawn.name not in listed
        response = public_page.goto(site.url + withdrawn.get_absolute_url())
        assert response.status == 404
    finally:
        anonymous.close()
    assert page.console_errors == []
