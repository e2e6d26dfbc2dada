"""The anonymous page cache: what it keeps, what it never keeps, and that edits show at once."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from events.models import Event
from events.services import event_cancel
from programme.models import HomePage, PublicationStatus, Strand, Writer, WriterVisibility
from refuge.page_cache import GENERATION_KEY
from tests.perf.pages import STRAND, WEEKLY, WRITER, grow, public_paths

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
    client, demo_content, django_capture_on_commit_callbacks
):
    """A page rendered between the save and its commit cannot outlive the commit."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        HomePage.objects.update(heading="Changed in a transaction")
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
