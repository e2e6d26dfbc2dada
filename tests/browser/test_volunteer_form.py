"""The volunteer form in a real browser: keyboard only, error summary, axe at phone and desktop."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


@pytest.fixture
def volunteer_site(site, settings):
    settings.REDIS_URL = ""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 1000, "MIN_FILL_SECONDS": 1}
    return site


def active_id(page) -> str:
    return page.evaluate("document.activeElement.id")


def tab_to(page, element_id: str, limit: int = 80) -> None:
    """Press Tab until ``element_id`` has focus: proves it is reachable by keyboard."""
    for _ in range(limit):
        focused = active_id(page)
        assert focused != "id_website", "the honeypot must never take focus"
        if focused == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} never received focus by Tab (stuck on {active_id(page)})")


def test_complete_the_form_by_keyboard_alone(page, volunteer_site):
    from volunteers.models import VolunteerApplication

    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(volunteer_site.url + "/volunteer/apply/")
    tab_to(page, "id_name")
    page.keyboard.type("焦 Amira")
    tab_to(page, "id_email")
    page.keyboard.type("keyboard@example.org")
    tab_to(page, "id_area")
    page.keyboard.type("NR2")
    tab_to(page, "id_roles_0")
    page.keyboard.press("Space")
    assert page.locator("#dbs-question").is_hidden()  # stewards need no DBS check
    tab_to(page, "id_roles_1")  # the mentor role: it does
    page.keyboard.press("Space")
    assert active_id(page) == "id_roles_1"  # focus stays where it was
    assert page.locator("#dbs-question").is_visible()
    assert "DBS check" in page.locator("#dbs-status").inner_text()
    tab_to(page, "id_languages")
    page.keyboard.type("Arabic, English")
    tab_to(page, "id_availability_2")
    page.keyboard.press("Space")
    tab_to(page, "id_dbs_check_0")
    page.keyboard.press("ArrowDown")  # a radio group: arrows choose within it
    assert active_id(page) == "id_dbs_check_1"
    tab_to(page, "id_is_adult")
    page.keyboard.press("Space")
    tab_to(page, "id_consent")
    page.keyboard.press("Space")
    tab_to(page, "volunteer-submit")  # past the news opt-in; never through the honeypot
    page.wait_for_timeout(1100)  # the minimum fill time
    page.keyboard.press("Enter")
    page.wait_for_url("**/volunteer/thanks/")
    assert page.locator("h1").inner_text() == "Thank you for applying"
    application = VolunteerApplication.objects.get()
    assert application.name == "焦 Amira"
    assert application.dbs_check == "no"
    assert sorted(application.roles.values_list("slug", flat=True)) == [
        "event-steward",
        "young-writers-mentor",
    ]
    assert application.availability == ["weekends"]
    assert application.news_opt_in is False
    assert page.console_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_error_summary_takes_focus_and_links_to_fields(browser, volunteer_site, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(volunteer_site.url + "/volunteer/apply/")
    page.fill("#id_name", "Kept Name")
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_selector("#error-summary")
    assert active_id(page) == "error-summary"
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.input_value("#id_name") == "Kept Name"  # nothing typed is lost
    links = summary.locator("a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "#id_email" in hrefs
    assert "#id_roles_0" in hrefs
    for href in hrefs:
        assert page.locator(href).count() == 1, href  # every link has a field to go to
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == hrefs[0]
    summary.locator('a[href="#id_email"]').click()
    if javascript:
        assert active_id(page) == "id_email"
    else:
        assert page.url.endswith("#id_email")
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "id_email_error" in email.get_attribute("aria-describedby")
    context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_axe_clean_with_errors_showing_and_on_thanks_page(page, volunteer_site, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(volunteer_site.url + "/volunteer/")
    assert_accessible(page)
    page.goto(volunteer_site.url + "/volunteer/apply/")
    assert_accessible(page)
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_selector("#error-summary")
    assert_accessible(page)
    page.goto(volunteer_site.url + "/volunteer/thanks/")
    assert_accessible(page)
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.console_errors == []


def fill_application(page, email="amira@example.org") -> None:
    page.fill("#id_name", "Amira Haddad")
    page.fill("#id_email", email)
    page.fill("#id_area", "NR2")
    page.check("#id_availability_2")
    page.check("#id_is_adult")
    page.check("#id_consent")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_dbs_question_follows_the_roles_chosen(browser, volunteer_site, javascript):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(volunteer_site.url + "/volunteer/apply/")
    question = page.locator("#dbs-question")
    legend = "Only if you chose Mentor for young writers: do you hold a current DBS check?"
    assert legend in question.inner_text()
    if not javascript:
        # Always there without the script, and not required for a steward.
        assert question.is_visible()
        fill_application(page, email="nojs@example.org")
        page.check("#id_roles_0")
        page.wait_for_timeout(1100)
        page.get_by_role("button", name="Send my application").click()
        page.wait_for_url("**/volunteer/thanks/")
        context.close()
        return
    assert question.is_hidden()
    page.get_by_label("Mentor for young writers (needs a DBS check)").check()
    assert question.is_visible()
    assert page.evaluate("document.activeElement.id") == "id_roles_1"
    assert (
        "a question about it is now further down the form"
        in page.locator("#dbs-status").inner_text()
    )
    page.get_by_label("Mentor for young writers (needs a DBS check)").uncheck()
    assert question.is_hidden()
    assert "no longer shown" in page.locator("#dbs-status").inner_text()
    # Chosen and left unanswered: the error shows the question and links to it.
    page.get_by_label("Mentor for young writers (needs a DBS check)").check()
    fill_application(page)
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_selector("#error-summary")
    assert question.is_visible()
    page.locator('#error-summary a[href="#id_dbs_check_0"]').click()
    assert page.evaluate("document.activeElement.id") == "id_dbs_check_0"
    assert_accessible(page)
    context.close()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_apply_for_a_role_then_send_it_again_or_start_again(page, volunteer_site, width):
    from django.core import mail

    from volunteers.models import VolunteerApplication

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(volunteer_site.url + "/volunteer/")
    page.get_by_role("link", name="Apply for this role: Translator or interpreter").click()
    page.wait_for_url("**/volunteer/apply/?role=translator-interpreter")
    assert page.is_checked("#id_roles_2")
    assert not page.is_checked("#id_roles_0")
    fill_application(page, email="amria@example.org")
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url("**/volunteer/thanks/")
    assert "amria@example.org" in page.locator("main").inner_text()
    assert "amria@example.org" not in page.url
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("button", name="Send it again").click()
    page.wait_for_selector("text=We have sent it again to")
    assert len(mail.outbox) == 2
    assert_accessible(page)

    page.get_by_role("button", name="Start again").click()
    page.wait_for_url("**/volunteer/apply/?role=translator-interpreter")
    assert page.is_checked("#id_roles_2")
    assert not VolunteerApplication.objects.exists()  # the wrong address's application went
    assert page.console_errors == []


def test_a_form_left_open_too_long_is_sent_again_with_nothing_lost(page, volunteer_site, settings):
    """A ticket older than FORM_TICKET_HOURS (here any, by setting it to 0) brings the
    form back: the message takes focus, every answer is still there, it is axe-clean on
    a phone, and sent again with its new ticket it goes."""
    from volunteers.models import VolunteerApplication

    settings.FORM_TICKET_HOURS = 0
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(volunteer_site.url + "/volunteer/apply/")
    fill_application(page)
    page.check("#id_roles_0")
    page.wait_for_timeout(1100)  # the minimum fill time
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_selector("#error-summary")
    assert active_id(page) == "error-summary"
    assert "This form was open for a long time" in page.locator("#error-summary").inner_text()
    assert page.input_value("#id_name") == "Amira Haddad"
    assert page.is_checked("#id_roles_0")
    assert page.is_checked("#id_consent")
    assert_accessible(page)
    assert not VolunteerApplication.objects.exists()

    settings.FORM_TICKET_HOURS = 24
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Send my application").click()
    page.wait_for_url("**/volunteer/thanks/")
    assert VolunteerApplication.objects.get().name == "Amira Haddad"
    assert page.console_errors == []
