"""Issue 14's new pages in a real browser, fed what a careless or hostile visitor or member
of staff would give them: words with no place to break, a stranger's very long address,
a strand whose slug collides with the page's own names. At 375 px, in English and in
Arabic, nothing may widen the page, and axe must find nothing."""

import time

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser

PHONE = WIDTHS["phone"]
LONG_WORD = "Antidisestablishmentarianism" * 7  # 196 letters, nowhere to break
LONG_ADDRESS = "a" * 64 + "@" + "b" * 63 + ".example.org"


@pytest.fixture
def bare_site(live_server, transactional_db):
    return live_server


# Elements that stick out of the viewport on either side: right to left, a word too long
# sticks out to the left, where scrollWidth does not always see it.
STICKING_OUT = """() => [...document.querySelectorAll("body *")].filter(element => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!box.width || !box.height || style.clipPath !== "none" || style.clip !== "auto") {
        return false;
    }
    return box.left < -1 || box.right > window.innerWidth + 1;
}).map(element => `${element.tagName}.${element.className}`)"""


def assert_fits_a_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    sticking_out = page.evaluate(STICKING_OUT)
    assert width <= PHONE, f"{page.url} is {width}px wide at {PHONE}px: {sticking_out[:6]}"
    assert sticking_out == [], page.url


def phone(page):
    page.set_viewport_size({"width": PHONE, "height": 800})
    return page


@pytest.mark.parametrize("prefix", ["", "/ar"], ids=["en", "ar"])
def test_a_long_unbroken_search_fits_a_phone(page, bare_site, prefix):
    from tests.events.factories import EventFactory
    from tests.programme.factories import WriterFactory

    EventFactory(title="Orchard reading", summary="Poems among the apple trees.")
    WriterFactory(name="Orchard Writer")
    phone(page)
    for query in (LONG_WORD, f"orchard {LONG_WORD[:60]}", "orchrd"):
        page.goto(f"{bare_site.url}{prefix}/search/?q={query}")
        assert_fits_a_phone(page)
        assert_accessible(page)
    page.goto(f"{bare_site.url}{prefix}/search/?q=orchard&kind=event")
    assert page.locator(".search-result").count() == 1
    assert_fits_a_phone(page)
    assert_accessible(page)
    assert page.console_errors == []


@pytest.mark.parametrize("prefix", ["", "/ar"], ids=["en", "ar"])
def test_a_very_long_address_on_the_thanks_page_fits_a_phone(page, bare_site, prefix):
    """What a person typed comes back on the thanks page, twice after "Send it again"."""
    from django.core import signing

    from volunteers import thanks

    payload = {"e": LONG_ADDRESS, "a": "", "r": [], "s": True, "t": time.time()}
    page.context.add_cookies(
        [
            {
                "name": thanks.COOKIE,
                "value": signing.dumps(payload, salt=thanks.SALT, compress=True),
                "url": f"{bare_site.url}{prefix}/volunteer/thanks/",
            }
        ]
    )
    phone(page)
    page.goto(f"{bare_site.url}{prefix}/volunteer/thanks/")
    assert page.locator(f'strong:text-is("{LONG_ADDRESS}")').count() == 2  # notice and lead
    assert_fits_a_phone(page)
    assert_accessible(page)


def test_a_strand_slugged_like_the_pages_own_feed_gets_its_own_address(page, bare_site):
    """A strand whose slug is "all" must not take the "All events" feed's ids: its Copy
    button would copy the other address, and the page would not be valid."""
    from tests.programme.factories import StrandFactory

    StrandFactory(title="All Together", slug="all")
    StrandFactory(title="برنامج " + "الكتّاب المنفيين " * 6, slug="arabic-strand")
    phone(page)
    for path in ("/events/subscribe/", "/ar/events/subscribe/"):
        page.goto(bare_site.url + path)
        ids = page.eval_on_selector_all("[id]", "nodes => nodes.map(n => n.id)")
        assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
        targets = page.eval_on_selector_all(
            ".calendar-feed",
            """feeds => feeds.map(feed => {
                const button = feed.querySelector("[data-copy-target]");
                return document.getElementById(button.dataset.copyTarget).value;
            })""",
        )
        assert targets[0].endswith("/events/feed.ics")
        assert any(target.endswith("/events/feed/all.ics") for target in targets[1:])
        assert len(set(targets)) == len(targets)
        assert_fits_a_phone(page)
        assert_accessible(page)


LONG_TITLE = "Übersetzungskoordinationsassistenzstelle" * 3  # a careless title, 120 letters


@pytest.mark.parametrize("prefix", ["", "/ar"], ids=["en", "ar"])
def test_a_careless_long_title_fits_a_phone_wherever_issue_14_shows_it(page, bare_site, prefix):
    """Staff type a role and a strand title with no spaces: the volunteer page, the form
    it pre-fills, the search and the subscribe page still fit a phone."""
    from tests.programme.factories import StrandFactory
    from tests.volunteers.factories import VolunteerRoleFactory

    strand = StrandFactory(title=LONG_TITLE, slug="long-strand")
    VolunteerRoleFactory(title=LONG_TITLE, slug="long-role", description=LONG_TITLE, strand=strand)
    phone(page)
    for path in (
        "/volunteer/",
        "/volunteer/apply/?role=long-role",
        f"/search/?q={LONG_TITLE[:40]}",
        "/events/subscribe/",
    ):
        page.goto(f"{bare_site.url}{prefix}{path}")
        assert LONG_TITLE in page.content(), path
        assert_fits_a_phone(page)
        assert_accessible(page)
