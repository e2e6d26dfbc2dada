"""Whole-page caching for anonymous visitors, on the ``default`` cache.

A public page is the same for every visitor who is not signed in, so the first
anonymous request renders it and the next ones, on any worker, are answered
from the shared cache without touching the database.

What is never cached (or served from the cache):

- any request that carries a session or a messages cookie (staff, anyone with a
  flash message waiting): only visitors with neither are certainly anonymous;
- anything but a 200 answer to GET; streaming responses;
- a response that sets a cookie, used the CSRF token (every form that posts),
  used the CSP nonce, or says ``Cache-Control: private``/``no-cache``/``no-store``;
- the admin, the volunteer sign-up form and the links in volunteers' emails.

Invalidation is a site-wide *content generation*: a token in the cache that is
part of every page's key. Saving or deleting anything a public page shows (and
the bulk ``update()`` of the admin's publish/unpublish actions) replaces it, so
every cached page is out of date at once, on every worker; old entries simply
expire. The token is replaced when the change happens and again when its
transaction commits, so a page rendered from the old data in between cannot
outlive the commit. ``PAGE_CACHE_SECONDS`` bounds how stale a page can get by
the clock alone (a publish-from time passing, an event finishing), plus
``FRAGMENT_CACHE_SECONDS`` for the kept fragments it was put together from.
"""

import datetime
import hashlib
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language_from_request

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:content-generation"
# Never answered from the cache, whatever the response says.
EXEMPT_PREFIXES = (
    "/admin/",
    "/healthz",
    "/volunteer/apply/",
    "/volunteer/thanks/",
    "/volunteer/confirm/",
    "/volunteer/withdraw/",
    "/volunteer/withdrawn/",
)
UNCACHEABLE_CONTROLS = ("private", "no-cache", "no-store")


def exempt(request) -> bool:
    """Paths no cache looks at: ours, and any in ``CACHE_EXEMPT_PATHS`` (the benchmark
    sets its framework floor there, so the floor pays for no cache lookup)."""
    extra = tuple(getattr(settings, "CACHE_EXEMPT_PATHS", ()))
    return request.path.startswith(EXEMPT_PREFIXES + extra)


def _make_generation() -> str:
    # Unique, and saying when it was made: the time a change reached the site, for
    # Last-Modified headers (generation_made).
    return f"{int(time.time())}-{uuid.uuid4().hex}"


def generation_made(generation: str | None) -> datetime.datetime | None:
    """When `generation` was made (None for one without a time)."""
    made, _, rest = (generation or "").partition("-")
    if not (rest and made.isdigit()):
        return None
    return datetime.datetime.fromtimestamp(int(made), tz=datetime.UTC)


def content_generation() -> str:
    """The current content generation (made on first use)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _make_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY) or ""
    return generation


def _new_generation() -> None:
    try:
        cache.set(GENERATION_KEY, _make_generation(), timeout=None)
    except Exception:  # a cache outage must not stop staff saving
        logger.warning("Page cache: could not start a new content generation", exc_info=True)


def content_changed(**kwargs) -> None:
    """Make every cached page out of date: now, and again when the transaction commits.

    Connected to the content models' signals (``refuge.apps``) and called by their
    querysets' bulk writes; the keyword arguments let it be a signal receiver.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


class ContentQuerySetMixin:
    """Bulk writes, which send no signals, still make cached pages out of date."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if count:
            content_changed()
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed()
        return created

    bulk_create.alters_data = True

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            content_changed()
        return deleted

    delete.alters_data = True
    delete.queryset_only = True


class ContentQuerySet(ContentQuerySetMixin, models.QuerySet):
    """The default queryset for content models that have no domain verbs of their own."""


def _enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


def _eligible_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not exempt(request)
    )


def _key(request, generation: str) -> str:
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    # Some responses (the iCalendar feeds) are gzipped for clients that accept it.
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
    return f"page:{generation}:{get_language_from_request(request)}:{encoding}:{digest}"


def _cacheable_response(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    if getattr(request, "_csp_nonce", None):  # the page used this response's nonce
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in UNCACHEABLE_CONTROLS)


def _from_cache(request, stored) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    # A cached feed still answers If-None-Match / If-Modified-Since with a 304.
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    return get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )


class AnonymousPageCacheMiddleware:
    """Answers anonymous GETs from the cache; stores what may be shared.

    Sits just below the security, CSP and whitenoise middleware, so a cached page
    still gets fresh security headers (and a CSP without a nonce), while the
    session, CSRF, auth and messages middleware never run for it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (_enabled() and _eligible_request(request)):
            return self.get_response(request)
        try:
            generation = request._content_generation = content_generation()
            key = _key(request, generation)
            stored = cache.get(key)
        except Exception:  # the cache is down: render as if it were off
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            return _from_cache(request, stored)
        response = self.get_response(request)
        if _cacheable_response(request, response):
            stored = (response.status_code, list(response.headers.items()), response.content)
            try:
                cache.set(key, stored, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache: could not store a page", exc_info=True)
        return response
