import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def sign_in(page, site):
    boss = get_user_model().objects.create_superuser("boss", "", "a-long-password-123")
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-password-123")
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_branded_admin_home_is_accessible_in_both_themes(page, site, scheme):
    page.emulate_media(color_scheme=scheme)
    sign_in(page, site)
    assert page.locator("#events-panel").is_visible()
    assert page.locator("#site-name").inner_text() == "Norwich, City of Refuge"
    assert_accessible(page)
