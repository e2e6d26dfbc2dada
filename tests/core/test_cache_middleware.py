"""CacheMiddleware: one value, ``request.content_generation``, read before the view, and
pages kept only when their views allow it (never by a list of addresses)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from core.caching.middleware import EXEMPT_PREFIXES, CacheMiddleware
from core.caching.release import release
from tests.events.factories import EventFactory
from tests.volunteers.factories import VolunteerApplicationFactory
from volunteers.tokens import CONFIRM, WITHDRAW, make_link_token


def kept_pages(store) -> int:
    """Whole pages in a private in-memory cache (the content generation is not a page)."""
    return sum(1 for key in store._cache if ":page:" in key)


def generation_seen(request, *, view=None) -> str | None:
    """``request.content_generation`` as the view answering `request` sees it."""
    seen = {}

    def answer(request):
        if view is not None:
            middleware.process_view(request, view, (), {})
        seen["generation"] = request.content_generation
        return HttpResponse()

    middleware = CacheMiddleware(answer)
    middleware(request)
    return seen["generation"]


def test_only_the_admin_and_the_health_check_are_exempt_by_address():
    assert EXEMPT_PREFIXES == ("/admin/", "/healthz")


def test_a_public_get_carries_the_content_generation_with_the_release(caches_on):
    generation = generation_seen(RequestFactory().get("/events/"))
    assert generation
    assert generation.endswith(f".{release()}")


@pytest.mark.parametrize(
    "request_for",
    [
        lambda rf: rf.post("/volunteer/apply/"),
        lambda rf: rf.get("/admin/"),
        lambda rf: rf.get("/healthz"),
    ],
    ids=["post", "admin", "healthz"],
)
def test_nothing_is_kept_so_no_generation_is_read(caches_on, request_for):
    assert generation_seen(request_for(RequestFactory())) is None


def test_with_the_caches_off_only_a_stamped_document_reads_the_generation(settings):
    """A document's ETag carries the generation, so an edit is news to a calendar app
    even on a site with the caches off."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    def document(request):
        return HttpResponse()

    document.reads_content_generation = True
    assert generation_seen(RequestFactory().get("/events/")) is None
    assert generation_seen(RequestFactory().get("/events/feed.ics"), view=document)


@pytest.mark.django_db
def test_pages_that_must_never_be_kept_say_so_themselves(client, caches_on):
    application = VolunteerApplicationFactory()
    paths = [
        "/volunteer/apply/",
        "/volunteer/thanks/",
        f"/volunteer/confirm/{make_link_token(application.public_id, CONFIRM)}/",
        f"/volunteer/withdraw/{make_link_token(application.public_id, WITHDRAW)}/",
        "/volunteer/withdrawn/",
    ]
    for path in paths:
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200, path
            assert "no-store" in response["Cache-Control"], path
    assert kept_pages(caches_on["default"]) == 0


@pytest.mark.django_db
def test_a_public_page_is_still_kept(client, caches_on):
    EventFactory()
    client.get("/events/")
    client.get("/volunteer/")
    assert kept_pages(caches_on["default"]) == 2
