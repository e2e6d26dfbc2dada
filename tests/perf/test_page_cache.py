"""The anonymous page cache: what it keeps, what it never keeps, and that edits show at once."""

import secrets

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import URLResolver, get_resolver

from core.caching.generation import GENERATION_KEY
from core.publishing import PublicationStatus
from events.models import Event
from events.services import event_cancel
from programme.models import HomePage, Strand, Writer, WriterVisibility
from tests.perf.pages import STRAND, WEEKLY, WRITER, grow, public_paths
from tests.programme.factories import StrandFactory

pytestmark = pytest.mark.usefixtures("page_cache")


def cached_twice(client, path, django_assert_num_queries):
    """GET `path` twice; the second answer must come from the cache (no query)."""
    first = client.get(path)
    with django_assert_num_queries(0, info=path):
        second = client.get(path)
    return first, second


def test_every_public_page_is_served_from_the_cache_unchanged_and_without_a_nonce(
    client, demo_content, django_assert_num_queries
):
    grow(2)
    for path in public_paths():
        if path == "/volunteer/apply/":
            continue
        first, second = cached_twice(client, path, django_assert_num_queries)
        assert second.status_code == 200, path
        assert second.content == first.content, path
        assert second["Content-Type"] == first["Content-Type"], path
        # Security headers are added afresh to a cached answer; no per-response nonce.
        policy = second["Content-Security-Policy"]
        assert "nonce" not in policy, path
        assert b"nonce" not in second.content, path
        assert second["X-Frame-Options"] == "DENY", path
        assert "Permissions-Policy" in second, path
        assert not second.cookies, path


def test_home_page_edit_shows_at_once(client, demo_content, django_assert_num_queries):
    cached_twice(client, "/", django_assert_num_queries)
    homepage = HomePage.load()
    homepage.heading = "A brand new heading"
    homepage.save()
    assert "A brand new heading" in client.get("/").content.decode()


def test_bulk_unpublish_and_publish_show_at_once(client, demo_content, django_assert_num_queries):
    """The admin's publish/unpublish actions use queryset.update(), which sends no signal."""
    path = f"/programme/{STRAND}/"
    cached_twice(client, path, django_assert_num_queries)
    Strand.objects.filter(slug=STRAND).update(status=PublicationStatus.DRAFT)
    assert client.get(path).status_code == 404
    assert client.get("/programme/").content.decode().count(f"/programme/{STRAND}/") == 0
    Strand.objects.filter(slug=STRAND).update(status=PublicationStatus.PUBLISHED)
    assert client.get(path).status_code == 200


def test_admin_publish_action_shows_at_once(client, admin_client, demo_content):
    strand = Strand.objects.get(slug=STRAND)
    assert client.get(strand.get_absolute_url()).status_code == 200
    response = admin_client.post(
        "/admin/programme/strand/",
        {"action": "unpublish", "_selected_action": [strand.pk]},
    )
    assert response.status_code == 302
    assert client.get(strand.get_absolute_url()).status_code == 404


def test_cancelling_an_event_shows_at_once_on_its_page_and_in_the_feed(
    client, demo_content, django_assert_num_queries
):
    event = Event.objects.get(slug=WEEKLY)
    cached_twice(client, event.get_absolute_url(), django_assert_num_queries)
    cached_twice(client, "/events/feed.ics", django_assert_num_queries)
    event_cancel(event=event, reason="The hall is flooded.")
    assert "The hall is flooded." in client.get(event.get_absolute_url()).content.decode()
    assert "STATUS:CANCELLED" in client.get("/events/feed.ics").content.decode()


def test_hiding_a_writer_takes_the_cached_profile_down_at_once(
    client, demo_content, django_assert_num_queries
):
    cached_twice(client, f"/writers/{WRITER}/", django_assert_num_queries)
    cached_twice(client, "/writers/", django_assert_num_queries)
    writer = Writer.objects.get(slug=WRITER)
    writer.visibility = WriterVisibility.HIDDEN
    writer.save()
    assert client.get(f"/writers/{WRITER}/").status_code == 404
    assert f"/writers/{WRITER}/" not in client.get("/writers/").content.decode()


def test_a_change_committed_later_still_replaces_the_cached_pages(
    db, django_capture_on_commit_callbacks
):
    """A page rendered between the save and its commit cannot outlive the commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        # The transaction's first change (the test's own), and more after it.
        strand = StrandFactory()
        Strand.objects.filter(pk=strand.pk).update(title="Changed in a transaction")
    assert len(callbacks) == 1  # one new generation at the commit, however many changes
    before_commit = cache.get(GENERATION_KEY)
    for callback in callbacks:
        callback()
    assert cache.get(GENERATION_KEY) != before_commit


def test_a_signed_in_visitor_never_gets_or_leaves_a_cached_page(
    client, admin_client, demo_content, django_assert_max_num_queries
):
    strand = Strand.objects.get(slug=STRAND)
    Strand.objects.filter(pk=strand.pk).update(status=PublicationStatus.DRAFT)
    # Staff preview the draft…
    assert admin_client.get(strand.get_absolute_url()).status_code == 200
    assert admin_client.get(strand.get_absolute_url()).status_code == 200
    # …which the public never sees, from the cache or otherwise.
    assert client.get(strand.get_absolute_url()).status_code == 404
    # And staff always get a freshly rendered page, never the public's copy.
    client.get("/")
    with django_assert_max_num_queries(20) as queries:
        admin_client.get("/")
    assert len(queries.captured_queries) > 0


def test_the_volunteer_form_is_never_cached(client, db):
    first = client.get("/volunteer/apply/")
    second = Client().get("/volunteer/apply/")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content  # its own CSRF token and form ticket each time
    assert first.cookies.get("csrftoken")


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client, demo_content, rf):
    client.get("/about/")  # cached for everyone else
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Thank you for signing up.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "Thank you for signing up." in client.get("/about/").content.decode()


def test_conditional_get_of_a_cached_feed_is_a_304(client, demo_content, django_assert_num_queries):
    first, _ = cached_twice(client, "/events/feed.ics", django_assert_num_queries)
    with django_assert_num_queries(0):
        response = client.get("/events/feed.ics", headers={"if-none-match": first["ETag"]})
    assert response.status_code == 304
    assert not response.content


@pytest.mark.parametrize(
    ("header", "value_of", "status"),
    [
        ("if-modified-since", lambda first: first["Last-Modified"], 304),
        ("if-match", lambda first: '"not-this-one"', 412),
        ("if-unmodified-since", lambda first: "Mon, 01 Jan 1990 00:00:00 GMT", 412),
        ("if-none-match", lambda first: '"not-this-one"', 200),
    ],
)
def test_a_cached_answer_honours_every_condition_of_the_request(
    client, demo_content, django_assert_num_queries, header, value_of, status
):
    """A kept answer is checked against the request's conditions only when it has one
    (nearly no request does); each kind still gets its answer."""
    first, _ = cached_twice(client, "/events/feed.ics", django_assert_num_queries)
    with django_assert_num_queries(0):
        response = client.get("/events/feed.ics", headers={header: value_of(first)})
    assert response.status_code == status
    assert (response.content == first.content) == (status == 200)


def test_a_gzipped_feed_is_cached_apart_from_the_plain_one(client, demo_content):
    gzipped = client.get("/events/feed.ics", headers={"accept-encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    plain = client.get("/events/feed.ics")
    assert "Content-Encoding" not in plain
    assert plain.content.startswith(b"BEGIN:VCALENDAR")
    again = client.get("/events/feed.ics", headers={"accept-encoding": "gzip, br"})
    assert again["Content-Encoding"] == "gzip"
    assert again.content == gzipped.content


def test_search_is_cached_per_query(client, demo_content, django_assert_num_queries):
    _, shahrazad = cached_twice(client, "/search/?q=shahrazad", django_assert_num_queries)
    library = client.get("/search/?q=library")
    assert "Shahrazad" in shahrazad.content.decode()
    assert library.content != shahrazad.content


def test_the_cache_is_off_when_page_cache_seconds_is_zero(
    client, demo_content, settings, django_assert_max_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    with django_assert_max_num_queries(8) as queries:
        client.get("/")
    assert len(queries.captured_queries) > 0


# ---------------------------------------------------------------- what a key names


def page_entries(store) -> int:
    """Pages in the private in-memory cache (the content generation is not a page)."""
    return sum(1 for key in store._cache if ":page:" in key)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/",
        f"/events/?strand={STRAND}&free=on",
        f"/writers/{WRITER}/",
        "/search/?q=refuge+writers",
        "/events/feed.ics",
        "/events/rss/",
    ],
)
def test_random_query_parameters_add_at_most_one_entry(
    client, demo_content, page_cache, django_assert_num_queries, path
):
    """`?cb=<random>` (or utm_source, fbclid…) is not a new page: it shares the one entry."""
    joiner = "&" if "?" in path else "?"
    first = client.get(f"{path}{joiner}cb={secrets.token_hex(8)}")
    assert first.status_code == 200
    for _ in range(39):
        with django_assert_num_queries(0, info=path):
            again = client.get(f"{path}{joiner}cb={secrets.token_hex(8)}&utm_source=x")
        assert again.content == first.content
    assert page_entries(page_cache) == 1
    with django_assert_num_queries(0):
        assert client.get(path).content == first.content


def test_two_orderings_of_the_same_filters_share_one_entry(
    client, demo_content, page_cache, django_assert_num_queries
):
    one = client.get(f"/events/?strand={STRAND}&type=workshop&audience=young-people&free=on")
    with django_assert_num_queries(0):
        other = client.get(
            f"/events/?free=on&audience=young-people&page=&type=workshop&strand={STRAND}"
        )
    assert other.content == one.content
    assert page_entries(page_cache) == 1


def test_the_kept_page_names_its_canonical_address(client, demo_content, page_cache):
    """The first visitor's additions never reach the page everyone else is served."""
    page = client.get("/events/?utm_source=newsletter&type=workshop&cb=1").content.decode()
    assert '<meta property="og:url" content="http://testserver/events/?type=workshop">' in page
    assert "utm_source" not in page
    assert "cb=1" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page-{n}/?cb={n}",
        "/writers/no-such-writer-{n}/",
        "/events/?page=999{n}",
        "/events/calendar/1999/{n}/",
    ],
)
def test_a_404_is_never_kept(client, demo_content, page_cache, path):
    for n in range(1, 11):
        assert client.get(path.format(n=n)).status_code == 404
    assert page_entries(page_cache) == 0


@pytest.mark.parametrize(
    "path",
    [
        "/events/?strand=no-such-strand-{n}",
        "/events/?type=party-{n}&audience=young-people",
        "/events/?free=yes-{n}",
        "/events/?page={zeros}1",
        f"/events/{WEEKLY}/?on=2001-01-{{n:02}}",
        "/search/?q=+refuge+{n}",
        "/search/?page={n}",
    ],
)
def test_a_value_the_view_does_not_take_as_given_is_answered_but_not_kept(
    client, demo_content, page_cache, path
):
    """Values are keys too: an unknown strand or `page=01` shows what the view makes of
    it, but only the canonical page is ever kept."""
    for n in range(1, 11):
        assert client.get(path.format(n=n, zeros="0" * n)).status_code == 200
    assert page_entries(page_cache) == 0


def test_a_view_that_does_not_say_what_it_reads_is_not_kept_with_a_query(
    client, demo_content, page_cache, django_assert_num_queries
):
    client.get("/robots.txt")
    assert page_entries(page_cache) == 1
    for n in range(5):
        assert client.get(f"/robots.txt?cb={n}").status_code == 200
    assert page_entries(page_cache) == 1


def test_every_public_view_says_which_query_parameters_it_reads():
    """A new public page must declare what it reads (``query_parameters``, ``@reads_query``),
    or it is never served from the page cache when its address has a query string."""
    exempt = {
        # Never cached, or not worth it: tiny, uncached by design, or staff-only.
        "healthz",
        "robots_txt",
        "favicon",
        "sitemap",  # declared by conditional_document below it; the name is the wrapped view's
        "serve",
        "StaffPasswordResetView",
        "StaffPasswordResetDoneView",
        "StaffPasswordResetConfirmView",
        "StaffPasswordResetCompleteView",
        "ApplyView",
        "ThanksView",
        "ConfirmView",
        "WithdrawView",
        "WithdrawnView",
        # Bookings: personal pages behind signed links, never cached (bookings/views.py).
        "BookView",
        "CheckEmailView",
        "ManageView",
        "CalendarView",
    }
    undeclared = []

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    walk(pattern.url_patterns)
                continue
            view = pattern.callback
            declared = getattr(view, "query_parameters", None)
            if declared is None:
                declared = getattr(getattr(view, "view_class", None), "query_parameters", None)
            name = getattr(getattr(view, "view_class", None), "__name__", view.__name__)
            if declared is None and name not in exempt:
                undeclared.append(f"{pattern.pattern} ({name})")

    walk(get_resolver().url_patterns)
    assert undeclared == []


def test_searches_that_find_nothing_are_answered_but_never_kept(client, demo_content, page_cache):
    client.get("/search/?q=shahrazad")
    before = page_entries(page_cache)
    assert before == 1
    for _ in range(20):
        response = client.get(f"/search/?q={secrets.token_hex(8)}")
        assert response.status_code == 200
        assert "Nothing matched" in response.content.decode()
    assert page_entries(page_cache) == before


@pytest.mark.parametrize("path", ["/", f"/programme/{STRAND}/", "/ar/events/"])
def test_a_kept_page_is_gzipped_for_clients_that_take_it(
    client, demo_content, path, django_assert_num_queries
):
    """Kept and sent gzipped (a kept page holds nothing personal): a fraction of the bytes
    to read from the cache and send on every hit. A client that takes no gzip gets the
    same page as it is, from an entry of its own."""
    import gzip

    grow(2)
    plain = client.get(path)
    assert "Content-Encoding" not in plain
    first = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    with django_assert_num_queries(0, info=path):
        kept = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    for answer in (first, kept):
        assert answer["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in answer["Vary"]
        assert gzip.decompress(answer.content) == plain.content
        # A page of ten to thirty kilobytes gzips to between a quarter and a fifth (how
        # much depends on the day's content: the demo's dates move with the calendar).
        assert len(answer.content) < len(plain.content) / 3
    with django_assert_num_queries(0, info=path):
        again = client.get(path)
    assert again.content == plain.content
    assert "Content-Encoding" not in again
    assert "Accept-Encoding" in again["Vary"]


def test_a_page_with_a_form_is_never_gzipped_by_the_cache(client, demo_content):
    """A page holding a visitor's CSRF token is never kept, so never compressed here
    (compressing a secret beside what a visitor typed is what BREACH reads)."""
    response = client.get("/volunteer/apply/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in response
    assert b"csrfmiddlewaretoken" in response.content
