"""Documents (feeds, calendars, the sitemap): one decorator for ETags, 304s and gzip, and
one stored form for every kept answer."""

import gzip
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from core.caching.keys import encoding
from core.caching.responses import StoredResponse
from tests.events.factories import EventFactory, soon
from tests.programme.factories import StrandFactory

DOCUMENTS = [
    "/events/rss/",
    "/events/atom/",
    "/sitemap.xml",
    "/events/feed.ics",
    "/events/feed/poetry.ics",
    "/events/lanterns.ics",
]


@pytest.fixture
def documents(db):
    strand = StrandFactory(slug="poetry")
    return EventFactory(strand=strand, slug="lanterns", title="Lanterns", start=soon(2))


@pytest.mark.parametrize("cached", [False, True], ids=["caches-off", "caches-on"])
@pytest.mark.parametrize("path", DOCUMENTS)
def test_every_document_is_tagged_and_answers_a_304(client, documents, request, path, cached):
    if cached:
        request.getfixturevalue("caches_on")
    first = client.get(path)
    assert first.status_code == 200
    assert first["ETag"].startswith('"')
    assert "Accept-Encoding" in first["Vary"]
    again = client.get(path, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert not again.content
    zipped = client.get(path, headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["ETag"] == f"W/{first['ETag']}"
    assert gzip.decompress(zipped.content) == first.content


@pytest.mark.parametrize("path", ["/events/rss/", "/events/feed.ics", "/sitemap.xml"])
def test_an_edit_is_a_new_etag(client, caches_on, documents, path):
    etag = client.get(path)["ETag"]
    documents.title = "Lanterns on the canal"
    documents.slug = "lanterns-on-the-canal"
    documents.save()
    response = client.get(path, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "lanterns-on-the-canal" in response.content.decode().lower()


def test_a_calendar_answers_a_304_without_rendering(client, documents):
    etag = client.get("/events/feed.ics")["ETag"]
    with mock.patch("events.views._calendar_body") as render:
        assert client.get("/events/feed.ics", headers={"if-none-match": etag}).status_code == 304
    render.assert_not_called()


def test_a_kept_feed_is_answered_without_its_view(client, caches_on, settings, documents):
    settings.PAGE_CACHE_SECONDS = 0  # fragments only: what a visitor with a cookie gets
    first = client.get("/events/rss/")
    with mock.patch("events.feeds.UpcomingEventsFeed.items") as items:
        again = client.get("/events/rss/")
    items.assert_not_called()
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]


# ---------------------------------------------------------------- the stored form


def stored(body: bytes, **headers) -> StoredResponse:
    response = HttpResponse(body, content_type="text/plain")
    for name, value in headers.items():
        response[name] = value
    return StoredResponse.of(response)


def test_a_gzipped_copy_is_weakly_tagged_and_sized():
    plain = stored(b"refuge " * 100, ETag='"abc"')
    zipped = plain.encoded("gzip").response()
    assert zipped["Content-Encoding"] == "gzip"
    assert zipped["ETag"] == 'W/"abc"'
    assert zipped["Content-Length"] == str(len(zipped.content))
    assert gzip.decompress(zipped.content) == plain.content


@pytest.mark.parametrize(
    ("body", "wanted"),
    [(b"short", "gzip"), (b"refuge " * 100, "identity")],
    ids=["too-short-to-gain", "not-asked-for"],
)
def test_a_body_stays_as_it_is_when_gzip_would_not_help(body, wanted):
    plain = stored(body)
    assert plain.encoded(wanted) == plain


def test_a_stored_response_answers_a_conditional_request():
    plain = stored(b"refuge", ETag='"abc"')
    request = RequestFactory().get("/", headers={"if-none-match": 'W/"abc"'})
    assert plain.answer(request).status_code == 304
    assert plain.answer(RequestFactory().get("/")).status_code == 200


# ---------------------------------------------------------------- Accept-Encoding


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip", "gzip"),
        ("gzip, deflate, br", "gzip"),
        ("br;q=1.0, gzip;q=0.8", "gzip"),
        ("br", "identity"),
        ("", "identity"),
    ],
)
def test_the_encoding_a_client_takes(header, expected):
    assert encoding(RequestFactory().get("/", headers={"accept-encoding": header})) == expected


def test_accept_encoding_is_read_in_one_place():
    reads = re.compile(r"""headers(\.get\(|\[)["']accept-encoding|HTTP_ACCEPT_ENCODING""", re.I)
    readers = sorted(
        path.relative_to(settings.BASE_DIR).as_posix()
        for app in ("core", "programme", "events", "volunteers", "refuge")
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py")
        if reads.search(path.read_text(encoding="utf-8"))
    )
    assert readers == ["core/caching/keys.py"]
