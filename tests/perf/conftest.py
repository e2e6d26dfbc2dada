import pytest


@pytest.fixture
def page_cache(settings):
    """The anonymous page cache on, over a private in-memory cache emptied for this test."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "perf-tests",
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
