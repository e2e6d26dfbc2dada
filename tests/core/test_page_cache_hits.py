"""What a page-cache hit costs: one read of the shared cache, generation and page together.

On PostgreSQL's cache table that is one query; on Redis one MGET and no SQL at all
(core/caching/middleware.py, ``read_content_generation_with``).
"""

import uuid

import pytest
import redis
from django.core.cache import caches

from core.caching.generation import content_changed

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/14"  # the local Redis; a database of these tests' own
PATHS = ["/", "/events/", "/writers/", "/events/feed.ics", "/search/?q=refuge+writers"]


@pytest.fixture
def database_cache(settings):
    """The page cache on PostgreSQL's cache table, as without REDIS_URL (its rows roll back
    with the test)."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "refuge_cache",
            "KEY_PREFIX": f"hits-{uuid.uuid4().hex}",
        },
    }
    settings.PAGE_CACHE_SECONDS = 300
    return caches["default"]


@pytest.fixture
def redis_cache(settings):
    """The page cache on the local Redis, under a key prefix of this test's own."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    prefix = f"hits-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    settings.PAGE_CACHE_SECONDS = 300
    yield caches["default"]
    client = redis.Redis.from_url(REDIS_URL)
    keys = client.keys(f"{prefix}:*")
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_commands(monkeypatch):
    """Every command sent to Redis (one each: no pipelines here), by name."""
    sent = []
    execute = redis.Redis.execute_command

    def counted(self, *args, **options):
        sent.append(args[0])
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


@pytest.mark.parametrize("path", PATHS)
def test_a_hit_on_the_postgresql_cache_is_one_query(
    client, demo_content, database_cache, django_assert_num_queries, path
):
    first = client.get(path)
    with django_assert_num_queries(1, info=path) as queries:
        second = client.get(path)
    assert "refuge_cache" in queries.captured_queries[0]["sql"]
    assert second.status_code == 200
    assert second.content == first.content


def test_a_page_kept_in_an_older_generation_is_a_miss(
    client, demo_content, database_cache, django_assert_num_queries, django_assert_max_num_queries
):
    client.get("/events/")
    content_changed()
    with django_assert_max_num_queries(20) as queries:
        client.get("/events/")
    assert len(queries) > 1, "a page from an older generation was served"
    with django_assert_num_queries(1):
        client.get("/events/")  # kept again, under the same address


@pytest.mark.parametrize("path", PATHS)
def test_a_hit_on_redis_is_one_round_trip_and_no_query(
    client, demo_content, redis_cache, redis_commands, django_assert_num_queries, path
):
    first = client.get(path)
    redis_commands.clear()
    with django_assert_num_queries(0, info=path):
        second = client.get(path)
    assert redis_commands == ["MGET"]
    assert second.status_code == 200
    assert second.content == first.content
