"""Kept fragments: the dear parts of a page, for every visitor not signed in.

The page cache (``core.caching.middleware``) answers whole pages, but only for visitors
with no cookies. Everyone else (someone who has used a form, or has a message waiting)
gets a freshly assembled page; this module keeps that cheap. The parts that cost the most
to build (a list of events, the month grid, the writers, the footer's supporters) are
kept rendered (``{% fragment %}``, ``cached()``), and the page around them is rendered
per request as usual, so its CSRF token, messages and nonce stay the visitor's own.

- Fragments live in the ``fragments`` cache: local memory in each worker, fast, with no
  network hop. Their keys carry ``request.content_generation``, so a staff edit makes
  every worker's fragments out of date at once.
- Signed-in users never read or write fragments: staff preview drafts, and must see
  their edits as they are.
- ``FRAGMENT_CACHE_SECONDS`` (0 turns them off) bounds what changes by the clock alone,
  as ``PAGE_CACHE_SECONDS`` does for pages.
- Keys name a page by its canonical address (``core.caching.keys``): a query parameter
  its view does not read makes no new fragment. Nothing is kept while an error page is
  rendered (no view answered, or the view raised: a 404), nor for an answer its view
  would not have kept (``keep_nothing``); kept fragments are still read.

Views keep their expensive work lazy (querysets, or ``cached_property`` on the view),
so a kept fragment also skips the queries behind it.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import get_language

from core.caching.keys import canonical_path, canonical_query, keep_nothing, keeps_nothing, origin

logger = logging.getLogger(__name__)

_UNSET = object()


def seconds() -> int:
    """How long fragments are kept (0: not at all)."""
    return getattr(settings, "FRAGMENT_CACHE_SECONDS", 0)


def _generation(request) -> str | None:
    """The content generation this request's fragments are keyed by; None when fragments
    are off, for a signed-in user, or when the shared cache could not be read."""
    if request is None or seconds() <= 0:
        return None
    generation = getattr(request, "content_generation", None)
    if generation is None or _signed_in(request):
        return None
    return generation


def _signed_in(request) -> bool:
    # Without a session cookie nobody is signed in: say so without loading a session
    # (error pages render fragments while the database may be down, and a session
    # read would add "Vary: Cookie" to every public answer).
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    try:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
    except Exception:  # the session cannot be read: keep nothing for this request
        logger.warning("Fragments: could not tell who is signed in", exc_info=True)
        return True


def _may_keep(request) -> bool:
    """Whether what this request renders may be kept (read is another matter)."""
    return (
        request.resolver_match is not None  # an address no view answers: a 404
        and not keeps_nothing(request)  # its view failed, or found a value it corrected
    )


def _canonical_vary(request, vary) -> list | None:
    """`vary`, with the request's full address standing for its canonical address;
    None when that address has a query its view does not declare (keep nothing)."""
    full = request.get_full_path()
    if "?" not in full or full not in vary:
        return list(vary)
    canonical = canonical_path(request)
    if canonical is None:
        return None
    return [canonical if value == full else value for value in vary]


def fragment_key(request, generation: str, name: str, vary) -> str:
    digest = hashlib.sha256(repr((origin(request), *(str(value) for value in vary))).encode())
    return f"fragment:{generation}:{get_language()}:{name}:{digest.hexdigest()[:40]}"


def cached(request, name: str, vary, render):
    """``render()``'s result, from the fragment cache when it holds one for ``vary``."""
    generation = _generation(request)
    if generation is None or _per_visitor_marks(request) != (False, False):
        return render()  # (a CSRF token or nonce used already could be inside: keep nothing)
    vary = _canonical_vary(request, vary)
    if vary is None:
        return render()
    # Whatever used a visitor's CSRF token or the response's nonce is theirs alone.
    return kept(
        fragment_key(request, generation, name, vary),
        render,
        keep=lambda _value: _per_visitor_marks(request) == (False, False) and _may_keep(request),
    )


def _per_visitor_marks(request) -> tuple[bool, bool]:
    return (
        bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
        bool(getattr(request, "_csp_nonce", None)),  # a LazyNonce is true once used
    )


def kept(key: str, render, *, keep=lambda value: True):
    """``render()``'s result under a key that names its content exactly.

    No generation or sign-in check: the key must carry what the value depends on. Off
    with the rest of the fragments. ``keep(value)``, asked after rendering, may refuse
    to keep what was rendered.
    """
    if seconds() <= 0:
        return render()
    store = caches["fragments"]
    value = store.get(key, _UNSET)
    if value is _UNSET:
        value = render()
        if keep(value):
            store.set(key, value, timeout=seconds())
    return value


class CachedCountPaginator(Paginator):
    """A paginator whose COUNT is kept with the fragments of the page that shows it.

    Counting every upcoming date joins thousands of rows; the page list around it is
    a cached fragment, so without this the count would be the page's dearest query.
    """

    request = None

    @cached_property
    def count(self) -> int:
        uncached = Paginator.count.func
        if self.request is None:
            return uncached(self)
        # One count for all the pages of one list, so they agree on how many there are.
        query = canonical_query(self.request, leave_out=["page"])
        if query is None:
            return uncached(self)
        return cached(self.request, "count", [self.request.path, query], lambda: uncached(self))


class CachedCountMixin:
    """For a ListView whose list sits in a ``{% fragment %}``."""

    paginator_class = CachedCountPaginator

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.request = self.request
        return paginator

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        asked = self.request.GET.get(self.page_kwarg)
        if asked and asked != str(page.number):  # "01", "last": shown, kept only as "1", "9"
            keep_nothing(self.request)
        return paginator, page, object_list, is_paginated
