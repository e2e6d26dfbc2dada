"""Sessions are written only when they change: a visitor costs no session write (issue 17)."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"

STALE_KEY = "0123456789abcdefghijklmnopqrstuv"  # well formed, in no row
PAGES = [
    "/", "/events/", "/writers/", "/volunteer/", "/volunteer/apply/", "/contact/",
    "/search/?q=poetry", "/events/feed.ics", "/events/rss/", "/sitemap.xml", "/robots.txt",
    "/healthz",
]  # fmt: skip


@pytest.fixture(params=["rendered", "from fragments"], autouse=True)
def caches_on(request, settings):
    """Pages rendered afresh, and put together from kept fragments: the request that
    reads no session at all is the one a stale cookie made write."""
    if request.param == "rendered":
        yield
        return
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM, "LOCATION": "session-tests-default"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "session-tests-fragments"},
    }
    settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["fragments"].clear()
    yield
    caches["default"].clear()
    caches["fragments"].clear()


def _session_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"]
        and query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


@pytest.mark.parametrize("path", PAGES)
def test_an_anonymous_get_writes_no_session(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert _session_writes(queries) == []
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()


@pytest.mark.parametrize("path", PAGES)
def test_a_stale_session_cookie_costs_no_write(client, path):
    client.cookies["sessionid"] = STALE_KEY
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            response = client.get(path)
            assert response.status_code == 200
    assert _session_writes(queries) == []
    assert not Session.objects.exists()
    # If the stale cookie is answered at all, it is deleted, never replaced by a new row.
    if "sessionid" in response.cookies:
        assert response.cookies["sessionid"].value == ""
