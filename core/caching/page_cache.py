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
- the admin, the volunteer sign-up form and the links in volunteers' emails;
- an address with a query string, unless its view says which parameters it reads.

A page is kept under its *canonical address*: its path and only the query parameters
its view reads (``query_parameters`` on a class-based view, ``@reads_query(...)`` on a
function), each once, with the value the view reads (the last, as ``QueryDict.get``),
empty ones dropped, sorted by name. Anything else in the query (``?cb=<random>``,
``utm_source``, a reordering) shares the canonical entry: the request is handed to the
view with the canonical query, so the page kept is exactly the canonical page. A view
that finds a value it does not take as given (an unknown strand, ``page=01``) calls
``keep_nothing(request)``: that answer is sent but neither it nor its fragments are kept.

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
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response
from django.utils.encoding import escape_uri_path
from django.utils.http import parse_http_date_safe, urlencode
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


# ---------------------------------------------------------------- canonical addresses


def reads_query(*names: str):
    """Says which query parameters a function view reads (a class-based view says it
    with a ``query_parameters`` attribute): only those make a page a different page."""

    def declare(view):
        view.query_parameters = frozenset(names)
        return view

    return declare


def declared_parameters(request) -> frozenset | None:
    """The query parameters the view answering `request` reads; None when it says
    nothing, or no view answers."""
    match = request.resolver_match
    if match is None:  # before the view: resolve the address as the handler will
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
    declared = getattr(match.func, "query_parameters", None)
    if declared is None:
        declared = getattr(getattr(match.func, "view_class", None), "query_parameters", None)
    return None if declared is None else frozenset(declared)


def canonical_query(request, *, leave_out=()) -> str | None:
    """The query string `request`'s page is kept under: only what its view reads, the
    value it reads, sorted; None when the view says nothing of what it reads."""
    if not request.META.get("QUERY_STRING"):
        return ""
    names = declared_parameters(request)
    if names is None:
        return None
    values = ((name, request.GET.get(name, "")) for name in sorted(names - set(leave_out)))
    return urlencode([(name, value) for name, value in values if value])


def canonical_path(request) -> str | None:
    """``request.get_full_path()`` with the canonical query (None: see canonical_query)."""
    query = canonical_query(request)
    if query is None:
        return None
    return escape_uri_path(request.path) + (f"?{query}" if query else "")


def keep_nothing(request) -> None:
    """This answer is not the canonical page (a value the view ignored or corrected):
    send it, but keep neither the page nor its fragments."""
    request._keep_nothing = True


def keeps_nothing(request) -> bool:
    return getattr(request, "_keep_nothing", False)


def _ask_canonically(request, query: str) -> None:
    """Hand the view the canonical query, so the page kept is the canonical page (its
    links and ``og:url`` carry nothing a visitor added)."""
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query, encoding=request.encoding)


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
    if keeps_nothing(request):
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
        query = canonical_query(request)
        if query is None:  # a query its view does not declare: not ours to share
            return self.get_response(request)
        if query != request.META.get("QUERY_STRING", ""):
            _ask_canonically(request, query)
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
