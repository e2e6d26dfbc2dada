import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import sign_in_as_staff

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_branded_admin_home_is_accessible_in_both_themes(page, site, scheme):
    page.emulate_media(color_scheme=scheme)
    sign_in_as_staff(page, site)
    assert page.locator("#events-panel").is_visible()
    assert page.locator("#site-name").inner_text() == "Norwich, City of Refuge"
    assert_accessible(page)
