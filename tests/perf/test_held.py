"""A worker holds what it read from the shared cache for ``CACHE_HOLD_MS``.

The content generation and the pages found current (core/caching/generation.py,
core/caching/middleware.py): while both are held a hit costs no round trip, an edit made
on this worker shows at once, and one made on another worker shows within the hold.
"""

import uuid

import pytest
from django.core.cache import caches
from django.db import connection

from core.caching import generation
from core.caching.generation import GENERATION_KEY
from programme.models import Writer, WriterVisibility
from tests.perf.pages import WRITER

pytestmark = pytest.mark.django_db

HOLD_MS = 60_000  # long enough that no slow test outlives it; the clock is moved instead


class Clock:
    def __init__(self, start: float = 1_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(generation, "monotonic", clock)
    return clock


@pytest.fixture
def held(settings, clock):
    """The page cache on PostgreSQL's cache table (its rows roll back with the test), with
    this worker holding what it reads for HOLD_MS."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "refuge_cache",
            "KEY_PREFIX": f"held-{uuid.uuid4().hex}",
        },
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.CACHE_HOLD_MS = HOLD_MS
    caches["held"].clear()
    generation._hold(None)
    yield
    caches["held"].clear()
    generation._hold(None)


def edit_on_another_worker(statement: str, params: list) -> None:
    """What another worker's edit looks like from here: the rows change and the shared
    generation is replaced, and this worker is told nothing."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
    caches["default"].set(GENERATION_KEY, generation._new_token(), timeout=None)


@pytest.mark.parametrize("path", ["/", "/events/", f"/writers/{WRITER}/", "/events/feed.ics"])
def test_a_hit_while_held_reads_nothing_shared(
    client, demo_content, held, django_assert_num_queries, path
):
    first = client.get(path)
    with django_assert_num_queries(0, info=path):
        second = client.get(path)
    assert second.status_code == 200
    assert second.content == first.content


def test_after_the_hold_a_hit_is_one_read_and_is_held_again(
    client, demo_content, held, clock, django_assert_num_queries
):
    client.get("/events/")
    clock.advance(HOLD_MS / 1000 + 0.001)
    with django_assert_num_queries(1) as queries:
        client.get("/events/")
    assert "refuge_cache" in queries.captured_queries[0]["sql"]
    with django_assert_num_queries(0):
        client.get("/events/")


def test_an_edit_on_this_worker_shows_at_once(client, demo_content, held):
    assert client.get(f"/writers/{WRITER}/").status_code == 200
    writer = Writer.objects.get(slug=WRITER)
    writer.visibility = WriterVisibility.HIDDEN
    writer.save()
    assert client.get(f"/writers/{WRITER}/").status_code == 404
    assert f"/writers/{WRITER}/" not in client.get("/writers/").content.decode()


def test_an_edit_on_another_worker_shows_within_the_hold(client, demo_content, held, clock):
    assert client.get(f"/writers/{WRITER}/").status_code == 200
    edit_on_another_worker(
        "UPDATE programme_writer SET visibility = %s WHERE slug = %s",
        [WriterVisibility.HIDDEN, WRITER],
    )
    clock.advance(HOLD_MS / 1000 - 1)
    assert client.get(f"/writers/{WRITER}/").status_code == 200  # still held: the bound
    clock.advance(1.001)
    assert client.get(f"/writers/{WRITER}/").status_code == 404
    assert client.get(f"/writers/{WRITER}/").status_code == 404  # and nothing old held


def test_after_an_edit_elsewhere_the_page_is_rendered_once_then_held(
    client, demo_content, held, clock, django_assert_num_queries, django_assert_max_num_queries
):
    """A page kept in the generation before the edit is never served as current."""
    client.get("/events/")
    edit_on_another_worker("SELECT %s", [1])
    clock.advance(HOLD_MS / 1000 + 0.001)
    with django_assert_max_num_queries(20) as queries:
        client.get("/events/")
    assert len(queries) > 1, "a page of the generation before the edit was served"
    with django_assert_num_queries(0):
        client.get("/events/")


def test_with_no_hold_every_hit_reads_the_shared_cache(
    client, demo_content, held, settings, django_assert_num_queries
):
    settings.CACHE_HOLD_MS = 0
    client.get("/events/")
    for _ in range(2):
        with django_assert_num_queries(1):
            client.get("/events/")


def test_a_shared_cache_that_fails_drops_what_is_held(client, demo_content, held, monkeypatch):
    client.get("/events/")
    assert generation.held_content_generation() is not None

    def down(*args, **kwargs):
        raise ConnectionError("the shared cache is down")

    monkeypatch.setattr(caches["default"], "set", down)
    generation._start_new_generation()  # an edit that could not replace the generation
    assert generation.held_content_generation() is None
