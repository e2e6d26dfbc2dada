"""The contact page in a real browser at 375 px: mistakes first, then a message that goes,
axe-clean throughout, in English and in Arabic (right to left)."""

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser


@pytest.fixture
def contact_site(site, settings):
    settings.REDIS_URL = ""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 1000, "MIN_FILL_SECONDS": 1}
    return site


@pytest.mark.parametrize(
    ("prefix", "send", "thanks"),
    [("", "Send my message", "Thank you for your message"), ("/ar", None, None)],
    ids=["en", "ar"],
)
def test_send_a_message_on_a_phone_after_fixing_mistakes(page, contact_site, prefix, send, thanks):
    from volunteers.models import ContactMessage

    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(contact_site.url + prefix + "/contact/")
    if prefix == "/ar":
        assert page.get_attribute("html", "dir") == "rtl"
        assert page.get_attribute("html", "lang") == "ar"
    assert_accessible(page)
    button = page.locator("#contact-form button[type=submit]")

    # Mistakes first: a name, a bad address, no message, no consent.
    page.fill("#id_name", "فاطمة الزهراء")
    page.fill("#id_email", "not-an-address")
    page.fill("#id_subject", "A school visit")
    button.click()
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    hrefs = page.eval_on_selector_all("#error-summary a", "links => links.map(a => a.hash)")
    assert hrefs == ["#id_email", "#id_message", "#id_consent"]
    assert page.input_value("#id_name") == "فاطمة الزهراء"  # nothing typed is lost
    assert page.input_value("#id_email") == "not-an-address"
    assert page.input_value("#id_subject") == "A school visit"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    page.locator('#error-summary a[href="#id_email"]').click()
    assert page.evaluate("document.activeElement.id") == "id_email"

    page.fill("#id_email", "fatima@example.org")
    page.fill("#id_message", "Could a writer visit our school in March?")
    page.check("#id_consent")
    page.wait_for_timeout(1100)  # the minimum fill time
    button.click()
    page.wait_for_url(f"**{prefix}/contact/thanks/")
    if thanks:
        assert page.locator("h1").inner_text() == thanks
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
    message = ContactMessage.objects.get()
    assert message.name == "فاطمة الزهراء"
    assert message.email == "fatima@example.org"
    assert message.language == ("ar" if prefix else "en-gb")
    assert page.console_errors == []


def test_the_contact_page_at_desktop_width_is_axe_clean(page, contact_site):
    page.goto(contact_site.url + "/contact/")
    assert page.locator("h1").inner_text() == "Contact us"  # the demo's contact page
    assert_accessible(page)
