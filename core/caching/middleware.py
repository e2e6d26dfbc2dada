"""CacheMiddleware: the content generation for every request, and the page cache.

It sits just below the security, CSP and whitenoise middleware, so a page from the cache
still gets fresh security headers (and a CSP without a nonce), while the session, CSRF,
auth and messages middleware never run for it. For each request it

1. reads the content generation into ``request.content_generation``, before any view reads
   content (read later, a staff edit committed in between would let data read before it
   be kept under the generation made after it). It is read for GET and HEAD whenever
   something may be kept (fragments on, or a page the page cache may answer), and for
   stamped documents (``conditional_document``) always, as their ETags carry it;
   otherwise, and when the shared cache cannot be read, it is None and nothing is kept;
2. answers anonymous visitors' GETs from the **page cache** (``PAGE_CACHE_SECONDS``, the
   shared ``default`` cache): a public page is the same for every visitor who is not
   signed in, so the first renders it and the next ones, on any worker, are answered
   without touching the database;
   a page is kept under its address alone (``_key``), with the generation it was made in
   beside it (``KeptPage``), so the generation and the page are read together, in one
   round trip (``read_content_generation_with``: one query on PostgreSQL's cache table,
   one MGET on Redis, nothing else), and a page from another generation is a miss;
   a page found current is also **held** in this worker's memory (the ``held`` cache) for
   as long as the generation is (``CACHE_HOLD_MS``, ``core.caching.generation``): while
   both are held, a hit costs no round trip at all;
3. marks a request whose view failed (a 404), so its error page keeps no fragment.

The language is chosen before this runs (``core.caching.language``, from the address
alone), and every key here, in fragments and in documents carries it.

What the page cache never keeps (or serves):

- any request that carries a messages cookie, or a session cookie naming a session that is
  signed in (staff) or holds messages waiting (``_plain_session``): those pages are for one
  person. A ``csrftoken`` cookie alone (anyone who has seen a form) is answered from the
  cache: no kept page holds a token (below), and a page that does is rendered for its
  visitor. A visitor whose session is part way through a flow, or is stale, is answered
  from the cache too (one read of the session, no write): a kept page was rendered for a
  visitor with no session, so it shows nothing from one, and every page that does show
  something kept in the session is ``never_cache`` (the flows' own pages), so none is kept.
  Pages are kept only from visitors with no session at all;
- anything but a 200 answer to GET; streaming responses;
- a response that sets a cookie, used the CSRF token (every form that posts), used the
  CSP nonce, or says ``Cache-Control: private``/``no-cache``/``no-store`` (``never_cache``:
  the volunteer form and the links in volunteers' emails say so themselves);
- ``/admin/`` and ``/healthz``, which it does not even look up;
- an address with a query string, unless its view says which parameters it reads
  (``core.caching.keys``), and an answer its view would not keep (``keep_nothing``).

``PAGE_CACHE_SECONDS`` bounds how stale a page can get by the clock alone (a publish-from
time passing, an event finishing), plus ``FRAGMENT_CACHE_SECONDS`` for the kept fragments
it was put together from.
"""

import hashlib
import logging
from importlib import import_module
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.http import QueryDict
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.caching import fragments
from core.caching.generation import (
    held_content_generation,
    hold_seconds,
    read_content_generation,
    read_content_generation_with,
)
from core.caching.keys import canonical_query, encoding, keep_nothing, keeps_nothing
from core.caching.responses import StoredResponse

logger = logging.getLogger(__name__)

# Never looked up in or kept by any cache, whatever the response says.
EXEMPT_PREFIXES = ("/admin/", "/healthz")
UNCACHEABLE_CONTROLS = ("private", "no-cache", "no-store")


def exempt(request) -> bool:
    """Paths no cache looks at: ours, and any in ``CACHE_EXEMPT_PATHS`` (the benchmark
    sets its framework floor there, so the floor pays for no cache lookup)."""
    extra = tuple(getattr(settings, "CACHE_EXEMPT_PATHS", ()))
    return request.path.startswith(EXEMPT_PREFIXES + extra)


def _page_cache_on() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


# What makes a session one person's: signed in (Django's auth, django-otp's device) or a
# flash message waiting for its next page.
PERSONAL_SESSION_KEYS = ("_auth_user_id", "otp_device_id", "_messages")


def _plain_session(request) -> bool:
    """Whether `request` brings no session, or one that is neither signed in nor holds a
    message: one read of the session (none without a cookie), never a write. A stale or
    malformed key reads as empty."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return True
    if not hasattr(request, "_plain_session"):
        store = import_module(settings.SESSION_ENGINE).SessionStore(key)
        try:
            request._plain_session = not any(name in store for name in PERSONAL_SESSION_KEYS)
        except Exception:  # the session store is down: render the page for this visitor
            logger.warning("Page cache: could not read a session", exc_info=True)
            request._plain_session = False
    return request._plain_session


def _page_cache_may_answer(request) -> bool:
    return (
        _page_cache_on()
        and request.method == "GET"
        and "messages" not in request.COOKIES
        and not exempt(request)
        and _plain_session(request)
    )


def _reads_generation_first(request) -> bool:
    """Whether anything may be kept for `request`: then the generation is read first."""
    if request.method not in ("GET", "HEAD") or exempt(request):
        return False
    return fragments.seconds() > 0 or _page_cache_may_answer(request)


class KeptPage(NamedTuple):
    """A page as the page cache keeps it: the generation it was made in, and the page."""

    generation: str
    page: StoredResponse


def _key(request) -> str:
    """The address alone: the generation is kept in the value (``KeptPage``), so one read
    fetches both, and a page made in an older generation is simply replaced."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    # Documents are gzipped for clients that take it: each encoding is its own page. The
    # address already names the language (/ar/…); the active one (LanguageMiddleware, above
    # this one) is in the key as well, so no change to the URLs can ever mix two languages.
    return f"page:{get_language()}:{encoding(request)}:{digest}"


def _current(kept, generation) -> bool:
    return isinstance(kept, KeptPage) and kept.generation == generation


def _hold_page(key: str, kept: KeptPage) -> None:
    """Hold a current page in this worker's memory for as long as its generation is held:
    never longer, so an edit elsewhere reaches this worker's visitors within the hold."""
    seconds = hold_seconds()
    if seconds:
        caches["held"].set(key, kept, timeout=seconds)


def _read_page(key: str) -> tuple[str | None, object]:
    """The content generation and the page kept under `key`: from this worker's memory
    while both are held, else in one read of the shared cache."""
    generation = held_content_generation()
    if generation is not None:
        kept = caches["held"].get(key)
        if _current(kept, generation):
            return generation, kept
    generation, kept = read_content_generation_with(key)
    if _current(kept, generation):
        _hold_page(key, kept)
    return generation, kept


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


def _ask_canonically(request, query: str) -> None:
    """Hand the view the canonical query, so the page kept is the canonical page (its
    links and ``og:url`` carry nothing a visitor added)."""
    request.META["QUERY_STRING"] = query
    request.GET = QueryDict(query, encoding=request.encoding)


class CacheMiddleware:
    """Sets ``request.content_generation``; answers and keeps anonymous visitors' pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A query its view does not declare (None) is not ours to share.
        query = canonical_query(request) if _page_cache_may_answer(request) else None
        if query is None:
            request.content_generation = (
                read_content_generation() if _reads_generation_first(request) else None
            )
            return self.get_response(request)
        if query != request.META.get("QUERY_STRING", ""):
            _ask_canonically(request, query)
        key = _key(request)
        request.content_generation, kept = _read_page(key)
        if request.content_generation is None:  # the cache is down: render as if it were off
            return self.get_response(request)
        if _current(kept, request.content_generation):
            return kept.page.answer(request)  # a kept feed still answers 304s
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES and _cacheable_response(
            request, response
        ):
            # Kept as this client takes it: gzipped when it takes gzip (nearly every
            # client). A kept page holds nothing personal, so compressing it gives nothing
            # away (no BREACH); it is a sixth to a tenth of the bytes to read from the
            # cache and to send, on every hit.
            patch_vary_headers(response, ("Accept-Encoding",))
            stored = StoredResponse.of(response).encoded(encoding(request))
            kept = KeptPage(request.content_generation, stored)
            try:
                cache.set(key, kept, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("Page cache: could not store a page", exc_info=True)
            else:
                _hold_page(key, kept)
            return stored.answer(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A stamped document's ETag carries the generation even when nothing is kept.
        if (
            getattr(view_func, "reads_content_generation", False)
            and request.method in ("GET", "HEAD")
            and not _reads_generation_first(request)
        ):
            request.content_generation = read_content_generation()

    def process_exception(self, request, exception):
        # The view failed (Http404 among others): its error page keeps no fragment.
        keep_nothing(request)
