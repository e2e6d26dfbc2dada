"""Kept fragments (core/caching/fragments.py): cheaper pages for everyone not signed in,
without ever showing stale content, a draft, or another visitor's message.

The anonymous page cache stays off here (tests/conftest.py), so every request below
goes through the view and its template; only the fragments (and feed.ics's kept body)
can make a second request cheaper.
"""

import gzip
import re
import secrets
import time
from unittest import mock

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.caching.generation import read_content_generation
from core.publishing import PublicationStatus
from events.models import Event, EventStatus, Venue
from programme.models import Strand, Writer
from tests.events.factories import EventFactory, soon
from tests.perf.pages import STRAND, WEEKLY, WRITER

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
DRAFT_NOTICE = "Preview: this is not published, so only staff can see it."
# The pages whose dear parts are kept; "{today...}" is filled in per test.
KEPT_PAGES = [
    "/events/",
    "/events/calendar/{today.year}/{today.month}/",
    "/writers/",
    f"/programme/{STRAND}/",
    "/search/?q=refuge+writers",
]

pytestmark = pytest.mark.usefixtures("fragment_cache")


@pytest.fixture
def fragment_cache(settings):
    """Fragments on, over private in-memory caches emptied for this test.

    The default cache is emptied too: it holds the content generation, which would
    otherwise outlive the test's rolled-back database and name stale fragments.
    """
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM, "LOCATION": "frag-tests-default"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "frag-tests-fragments"},
    }
    settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["fragments"].clear()
    yield caches["fragments"]
    caches["default"].clear()
    caches["fragments"].clear()


# ---------------------------------------------------------------- helpers


def page_path(path: str) -> str:
    return path.format(today=timezone.localdate())


def get_counted(client, path, **kwargs):
    """GET `path`; the response and the number of SQL queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **kwargs)
    return response, len(queries.captured_queries)


def main_of(response) -> str:
    """The page's <main> element: the kept content (and any messages) of a page."""
    found = re.search(r"<main\b.*?</main>", response.content.decode(), re.DOTALL)
    assert found, "the page has no <main>"
    return found.group()


def with_session_cookie(client: Client, kind: str) -> Client:
    """A visitor who is not signed in but carries a session cookie, so the anonymous
    page cache would never answer them; fragments still should."""
    if kind == "stale":
        client.cookies["sessionid"] = "x"  # expired or forged: no session behind it
    else:
        session = client.session
        session["seen_notice"] = True
        session.save()
    return client


def leave_message(client: Client, rf, text: str, *, long: bool = False) -> None:
    """A flash message waiting for `client`, left as the site's own message storage
    leaves one after a redirect: in the messages cookie, or (too long for the cookie)
    in the session, with a marker in the cookie saying so."""
    request = rf.get("/")
    request.session = client.session
    storage = FallbackStorage(request)
    storage.add(messages.SUCCESS, f"{text} {'Details follow. ' * 300}" if long else text)
    carrier = HttpResponse()
    storage.update(carrier)
    request.session.save()
    client.cookies["messages"] = carrier.cookies["messages"].value


def feed_event() -> Event:
    """An event in the feed's window that only one title of its own names."""
    return EventFactory(
        strand=Strand.objects.get(slug=STRAND), title="Lanterns on the river", start=soon(2)
    )


# ---------------------------------------------------------------- kept, and cheaper


@pytest.mark.parametrize("path", KEPT_PAGES)
def test_a_second_visit_is_cheaper_and_shows_the_same_content(client, demo_content, path):
    path = page_path(path)
    first, cold = get_counted(client, path)
    second, warm = get_counted(client, path)
    assert first.status_code == second.status_code == 200
    assert warm < cold, f"{path}: {warm} queries on the second visit, {cold} on the first"
    assert main_of(second) == main_of(first)
    assert second.content == first.content


@pytest.mark.parametrize("path", KEPT_PAGES)
def test_fragments_off_means_every_visit_pays_in_full(client, demo_content, settings, path):
    settings.FRAGMENT_CACHE_SECONDS = 0
    path = page_path(path)
    _, cold = get_counted(client, path)
    second, warm = get_counted(client, path)
    assert second.status_code == 200
    assert warm == cold > 0


@pytest.mark.parametrize("kind", ["stale", "real"])
def test_a_visitor_with_a_session_cookie_gets_kept_fragments(client, demo_content, settings, kind):
    """The point of fragments: the page cache skips anyone with a cookie; they don't."""
    settings.PAGE_CACHE_SECONDS = 300  # on, yet it may not answer this visitor
    visitor = with_session_cookie(client, kind)
    first, cold = get_counted(visitor, "/events/")
    second, warm = get_counted(visitor, "/events/")
    assert first.status_code == second.status_code == 200
    assert warm < cold
    assert main_of(second) == main_of(first)


def test_a_fragment_kept_for_one_visitor_serves_the_next(client, demo_content):
    _, cold = get_counted(Client(), "/writers/")
    _, warm = get_counted(with_session_cookie(client, "stale"), "/writers/")
    assert warm < cold


# ---------------------------------------------------------------- edits show at once


def test_renaming_a_writer_shows_at_once(client, demo_content):
    client.get("/writers/")
    writer = Writer.objects.get(slug=WRITER)
    old_name = writer.name
    writer.name = "Layla the Renamed"
    writer.save()
    page = client.get("/writers/").content.decode()
    assert "Layla the Renamed" in page
    assert old_name not in page


def test_a_bulk_retitle_of_a_strand_shows_at_once(client, demo_content):
    """queryset.update() sends no signal; the content generation must move anyway."""
    path = f"/programme/{STRAND}/"
    client.get(path)
    client.get("/programme/")
    Strand.objects.filter(slug=STRAND).update(title="A Strand Retitled in Bulk")
    assert "A Strand Retitled in Bulk" in main_of(client.get(path))
    assert "A Strand Retitled in Bulk" in main_of(client.get("/programme/"))


def test_an_event_edit_and_unpublishing_show_at_once_on_the_list(client, demo_content):
    event = feed_event()
    client.get("/events/")
    assert "Lanterns on the river" in main_of(client.get("/events/"))

    event.title = "Lanterns on the canal"
    event.save()
    assert "Lanterns on the canal" in main_of(client.get("/events/"))

    Event.objects.filter(pk=event.pk).update(title="Lanterns on the broads")
    assert "Lanterns on the broads" in main_of(client.get("/events/"))

    event.refresh_from_db()
    event.status = EventStatus.DRAFT
    event.save()
    page = main_of(client.get("/events/"))
    assert "Lanterns" not in page
    assert event.get_absolute_url() not in page


def test_a_bulk_unpublish_takes_the_strand_down_at_once(client, demo_content):
    path = f"/programme/{STRAND}/"
    client.get(path)
    client.get(path)
    Strand.objects.filter(slug=STRAND).update(status=PublicationStatus.DRAFT)
    assert client.get(path).status_code == 404
    assert f'href="{path}"' not in main_of(client.get("/programme/"))


def test_an_event_edit_shows_in_feed_ics_at_once(client, demo_content):
    event = feed_event()
    client.get("/events/feed.ics")
    assert "SUMMARY:Lanterns on the river" in client.get("/events/feed.ics").content.decode()
    event.title = "Lanterns on the canal"
    event.save()
    body = client.get("/events/feed.ics").content.decode()
    assert "SUMMARY:Lanterns on the canal" in body
    assert "Lanterns on the river" not in body


def test_a_bulk_event_edit_shows_in_feed_ics_at_once(client, demo_content):
    event = feed_event()
    client.get("/events/feed.ics")
    Event.objects.filter(pk=event.pk).update(title="Lanterns on the broads")
    assert "SUMMARY:Lanterns on the broads" in client.get("/events/feed.ics").content.decode()


def test_a_venue_edit_shows_in_feed_ics_at_once(client, demo_content):
    event = feed_event()
    client.get("/events/feed.ics")
    venue = event.venue
    venue.name = "The Boathouse"
    venue.save()
    assert "The Boathouse" in client.get("/events/feed.ics").content.decode()


def test_a_venue_edit_is_a_new_etag_so_subscribers_fetch_it(client, demo_content):
    """The ETag carries the content generation: an edit that leaves the events' own
    timestamps alone is still news to a calendar app asking If-None-Match."""
    event = feed_event()
    etag = client.get("/events/feed.ics")["ETag"]
    assert client.get("/events/feed.ics", headers={"If-None-Match": etag}).status_code == 304
    Venue.objects.filter(pk=event.venue_id).update(name="The Boathouse")
    response = client.get("/events/feed.ics", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "The Boathouse" in response.content.decode()


# ---------------------------------------------------------------- staff


def test_staff_see_their_draft_and_the_public_list_never_does(client, admin_client, demo_content):
    """Staff neither read kept fragments (they would miss the draft) nor write them
    (the public would see it)."""
    draft = EventFactory(
        strand=Strand.objects.get(slug=STRAND),
        title="Secret rehearsal",
        start=soon(1),
        status=EventStatus.DRAFT,
    )
    path = draft.get_absolute_url()
    assert "Secret rehearsal" not in main_of(client.get("/events/"))
    assert client.get(path).status_code == 404

    for _ in range(2):  # a second visit would be the one to read a fragment
        preview = admin_client.get(path)
        assert preview.status_code == 200
        assert DRAFT_NOTICE in main_of(preview)
        assert "Secret rehearsal" in main_of(preview)

    assert client.get(path).status_code == 404
    assert "Secret rehearsal" not in main_of(client.get("/events/"))


def test_staff_never_read_or_write_fragments(client, admin_client, demo_content, fragment_cache):
    path = f"/programme/{STRAND}/"
    admin_client.get("/admin/")  # the session's activity stamp: renewed once a minute at most
    _, staff_cold = get_counted(admin_client, path)
    _, public_cold = get_counted(Client(), path)  # keeps the page's fragments
    _, staff_again = get_counted(admin_client, path)
    assert staff_again == staff_cold, "staff were served the public's fragments"

    fragment_cache.clear()
    admin_client.get(path)
    _, public_after_staff = get_counted(client, path)
    assert public_after_staff == public_cold, "staff left fragments for the public"


# ---------------------------------------------------------------- per visitor


@pytest.mark.parametrize("long", [False, True], ids=["in-cookie", "in-session"])
def test_a_flash_message_stays_with_its_visitor(client, demo_content, rf, long):
    text = "Thank you: your application is in."
    bystander = Client()
    leave_message(client, rf, text, long=long)
    mine = client.get("/writers/")  # renders and keeps the content fragment
    theirs, warm = get_counted(bystander, "/writers/")
    assert text in main_of(mine)
    assert text not in theirs.content.decode()
    # The content itself is shared: the bystander got it from the fragment cache.
    assert "Writers in residence" in main_of(theirs)
    caches["fragments"].clear()
    _, cold = get_counted(Client(), "/writers/")
    assert warm < cold


def test_a_message_shows_on_a_page_served_from_kept_fragments(client, demo_content, rf):
    Client().get("/writers/")  # someone else keeps the fragments first
    leave_message(client, rf, "Your details were saved.")
    page = client.get("/writers/")
    assert "Your details were saved." in main_of(page)
    assert "Your details were saved." not in client.get("/writers/").content.decode()


# ---------------------------------------------------------------- feed.ics


def test_a_second_feed_ics_costs_at_most_one_query(
    client, demo_content, django_assert_max_num_queries
):
    first = client.get("/events/feed.ics")
    with django_assert_max_num_queries(1):
        second = client.get("/events/feed.ics")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_feed_ics_gzip_is_a_weakly_tagged_encoding_of_the_same_calendar(client, demo_content):
    plain = client.get("/events/feed.ics")
    zipped = client.get("/events/feed.ics", headers={"accept-encoding": "gzip, deflate"})
    # Identity first, then gzip, then identity again from the kept pair.
    plain_again = client.get("/events/feed.ics", headers={"accept-encoding": "identity"})

    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["Content-Type"] == "text/calendar; charset=utf-8"
    assert zipped["ETag"] == f"W/{plain['ETag']}"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content

    for response in (plain, plain_again):
        assert "Content-Encoding" not in response
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert not response["ETag"].startswith("W/")
        assert response.content.startswith(b"BEGIN:VCALENDAR")
    assert plain_again.content == plain.content


def test_a_conditional_get_with_the_weak_etag_is_a_304(client, demo_content):
    zipped = client.get("/events/feed.ics", headers={"accept-encoding": "gzip"})
    assert zipped["ETag"].startswith('W/"')
    for encoding in ("gzip", "identity"):
        response = client.get(
            "/events/feed.ics",
            headers={"accept-encoding": encoding, "if-none-match": zipped["ETag"]},
        )
        assert response.status_code == 304, encoding
        assert not response.content


# ---------------------------------------------------------------- failures


@pytest.mark.parametrize(
    "path", ["/events/", "/writers/", f"/programme/{STRAND}/", "/events/feed.ics", "/events/rss/"]
)
def test_a_shared_cache_outage_still_renders_the_page(client, demo_content, path):
    kept, _ = get_counted(client, path)  # fragments kept before the outage
    with mock.patch(
        "core.caching.generation.cache", **{"get.side_effect": ConnectionError("cache down")}
    ):
        first, cold = get_counted(client, path)
        second, warm = get_counted(client, path)
    assert first.status_code == second.status_code == 200
    assert second.content == first.content == kept.content
    assert warm == cold > 0  # rendered afresh each time, as with fragments off


@pytest.mark.parametrize(
    "path", ["/events/?page=9999", "/events/past/?page=9999", "/events/?page=x"]
)
def test_a_page_number_out_of_range_is_a_404_every_time(client, demo_content, path):
    """The count is kept apart from the list: a kept count must not let a bad page through."""
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 404
        assert "The page may have moved" in response.content.decode()


# ---------------------------------------------------------------- what a key must name


@pytest.mark.parametrize(
    "path", ["/events/rss/", "/events/atom/", "/sitemap.xml", f"/events/{WEEKLY}/"]
)
def test_absolute_links_name_the_host_that_was_asked(client, demo_content, settings, path):
    """With two names for the site (say, with and without www), each gets its own links."""
    settings.ALLOWED_HOSTS = ["refuge.test", "www.refuge.test"]
    client.get(path, headers={"host": "www.refuge.test"})
    body = client.get(path, headers={"host": "refuge.test"}).content.decode()
    assert "//refuge.test/" in body
    assert "//www.refuge.test/" not in body


@pytest.mark.parametrize(
    ("path", "active"),
    [
        ("/", "/"),
        ("/events/", "/events/"),
        ("/events/past/", "/events/"),
        ("/writers/", "/writers/"),
        (f"/writers/{WRITER}/", "/writers/"),
        ("/search/?q=poetry", None),
    ],
)
def test_the_kept_header_marks_the_section_the_visitor_is_in(client, demo_content, path, active):
    """The header is kept per section, so each page still marks its own link as current."""
    for visited in ("/", "/events/", "/writers/", "/search/"):
        client.get(visited)
    header = client.get(path).content.decode().split("</header>", 1)[0]
    current = re.findall(r'aria-current="page" href="([^"]*)"', header)
    assert current == ([active] if active else [])


def test_a_venue_edit_moves_last_modified_so_if_modified_since_fetches_it(client, demo_content):
    """Clients that only send If-Modified-Since must hear of edits the ETag hears of."""
    event = feed_event()
    first = client.get("/events/feed.ics")
    since = first["Last-Modified"]
    assert client.get("/events/feed.ics", headers={"If-Modified-Since": since}).status_code == 304
    with mock.patch("core.caching.generation.time.time", return_value=time.time() + 5):
        Venue.objects.filter(pk=event.venue_id).update(name="The Boathouse")
    response = client.get("/events/feed.ics", headers={"If-Modified-Since": since})
    assert response.status_code == 200
    assert "The Boathouse" in response.content.decode()


def test_a_visitor_without_cookies_never_has_a_session_read(client, demo_content):
    """Fragments tell a cookie-less visitor is not signed in without loading a session:
    error pages render fragments while the database may be down, and a session read
    would add "Vary: Cookie" to every public answer."""
    for path in ("/events/feed.ics", "/events/rss/", "/writers/", "/events/"):
        client.get(path)
        response = client.get(path)
        assert "Cookie" not in response.get("Vary", ""), path


@pytest.mark.parametrize("path", ["/sitemap.xml", "/events/rss/", "/events/atom/"])
def test_documents_are_kept_gzipped_for_clients_that_take_gzip(client, demo_content, path):
    """The sitemap and feeds hold no secret, so they go gzipped, and each encoding is
    kept apart: a client that takes no gzip never gets the gzipped copy."""
    plain = client.get(path)
    for _ in range(2):
        zipped = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert zipped["Content-Encoding"] == "gzip"
        assert gzip.decompress(zipped.content) == plain.content
    again = client.get(path)
    assert again.content == plain.content
    assert "Content-Encoding" not in again
    assert "Accept-Encoding" in again["Vary"]


@pytest.mark.parametrize("inside", ["{% csrf_token %}", "{{ csp_nonce }}"])
def test_a_fragment_that_used_a_visitors_token_or_nonce_is_not_kept(rf, db, inside):
    """No template does it today; if one ever puts a form or a nonce inside a fragment,
    each visitor must still get their own token, never the first visitor's."""
    from django.contrib.auth.models import AnonymousUser
    from django.middleware.csp import ContentSecurityPolicyMiddleware
    from django.middleware.csrf import CsrfViewMiddleware
    from django.template import Context, Template
    from django.template.context_processors import csrf

    template = Template('{% load portal %}{% fragment "form" %}' + inside + "{% endfragment %}")

    def render_for_a_new_visitor():
        request = rf.get("/")
        request.content_generation = read_content_generation()  # as CacheMiddleware does
        request.user = AnonymousUser()
        CsrfViewMiddleware(lambda r: HttpResponse()).process_request(request)
        ContentSecurityPolicyMiddleware(lambda r: HttpResponse()).process_request(request)
        nonce = getattr(request, "_csp_nonce", "")
        return template.render(Context({"request": request, "csp_nonce": nonce, **csrf(request)}))

    first, second = render_for_a_new_visitor(), render_for_a_new_visitor()
    assert first.strip()
    assert first != second


# ---------------------------------------------------------------- what makes a new entry


@pytest.mark.parametrize(
    "path", ["/events/", f"/writers/{WRITER}/", f"/events/{WEEKLY}/", "/search/?q=refuge+writers"]
)
def test_random_query_parameters_make_no_new_fragment(client, demo_content, fragment_cache, path):
    """A visitor with a cookie (whom the page cache never answers) adding `?cb=<random>`:
    the page's fragments are the canonical page's, and nothing new is kept."""
    visitor = with_session_cookie(client, "stale")
    joiner = "&" if "?" in path else "?"
    first, cold = get_counted(visitor, path)
    kept = len(fragment_cache._cache)
    for _ in range(40):
        again, warm = get_counted(visitor, f"{path}{joiner}cb={secrets.token_hex(8)}")
        assert main_of(again) == main_of(first)
        assert warm < cold
    assert len(fragment_cache._cache) == kept


def test_two_orderings_of_the_same_filters_share_their_fragments(
    client, demo_content, fragment_cache
):
    first, cold = get_counted(client, f"/events/?strand={STRAND}&free=on&type=workshop")
    kept = len(fragment_cache._cache)
    second, warm = get_counted(client, f"/events/?type=workshop&free=on&strand={STRAND}")
    assert warm < cold
    assert main_of(second) == main_of(first)
    assert len(fragment_cache._cache) == kept


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page-{n}/",
        "/no-such-section-{n}/page/",
        "/writers/no-such-writer-{n}/",
        "/events/?page=999{n}",
        "/events/?strand=no-such-strand-{n}",
        "/search/?q=+refuge+{n}",
    ],
)
def test_an_error_page_or_a_value_the_view_ignores_keeps_no_fragment(
    client, demo_content, fragment_cache, path
):
    """A 404 (or a page that is not the canonical one) may read kept fragments but keeps
    none: otherwise every made-up address would add a header to the cache."""
    client.get(path.format(n=0))
    kept = set(fragment_cache._cache)
    for n in range(1, 11):
        client.get(path.format(n=n))
    assert set(fragment_cache._cache) == kept
    # Nothing of the page itself; at most what the list's real pages share with it (the
    # strands its filter offers, its count: one each, whatever the address).
    assert [key for key in kept if not re.search(":(published-strands|count):", key)] == []


def test_a_404_still_reads_the_kept_header_and_footer(client, demo_content):
    client.get("/writers/")  # keeps the header of /writers/ and the footer
    _, cold = get_counted(Client(), "/writers/no-such-writer/")
    _, warm = get_counted(Client(), "/writers/no-such-writer-either/")
    assert warm == cold  # the same, reading fragments others kept, adding none
