"""Fixtures for the shared base's tests: the caches on, over private in-memory stores."""

import pytest
from django.core.cache import caches

from core.caching.release import release

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture
def caches_on(settings):
    """The page cache and fragments on, over private in-memory caches emptied for this test
    (the content generation lives in `default`, which outlives each rolled-back test)."""
    settings.CACHES = {
        "default": {"BACKEND": LOCMEM, "LOCATION": "core-tests-default"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "core-tests-fragments"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    for name in ("default", "fragments"):
        caches[name].clear()
    yield caches
    for name in ("default", "fragments"):
        caches[name].clear()


@pytest.fixture
def fresh_release():
    """Let a test change what the release is derived from; the process's own comes back."""
    release.cache_clear()
    yield release
    release.cache_clear()
