"""What names a kept answer: its canonical address, its encoding, and whether it may be kept.

A page is kept under its *canonical address*: its path and only the query parameters its
view reads (``query_parameters`` on a class-based view, ``@reads_query(...)`` on a
function), each once, with the value the view reads (the last, as ``QueryDict.get``),
empty ones dropped, sorted by name. Anything else in the query (``?cb=<random>``,
``utm_source``, a reordering) shares the canonical entry: the page cache hands the view
the canonical query, so the page kept is exactly the canonical page. A view that finds a
value it does not take as given (an unknown strand, ``page=01``) calls
``keep_nothing(request)``: that answer is sent, but neither it nor its fragments are kept.
A view that fails (a 404) keeps nothing either.

``encoding(request)`` is the one place that reads ``Accept-Encoding``.
"""

import functools
import re

from django.conf import settings
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path
from django.utils.http import urlencode
from django.utils.translation import get_language

_ACCEPTS_GZIP = re.compile(r"\bgzip\b")  # as Django's GZipMiddleware reads it


def encoding(request) -> str:
    """``"gzip"`` when the client takes gzip, else ``"identity"``."""
    accepted = request.headers.get("Accept-Encoding", "")
    return "gzip" if _ACCEPTS_GZIP.search(accepted) else "identity"


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
    return _declared(match.func)


def _declared(view) -> frozenset | None:
    declared = getattr(view, "query_parameters", None)
    if declared is None:
        declared = getattr(getattr(view, "view_class", None), "query_parameters", None)
    return None if declared is None else frozenset(declared)


def canonical_query(request, *, leave_out=()) -> str | None:
    """The query string `request`'s page is kept under: only what its view reads, the
    value it reads, sorted; None when the view says nothing of what it reads."""
    query = request.META.get("QUERY_STRING")
    if not query:
        return ""
    if request.resolver_match is not None:  # the view's own, once it has been resolved
        return _canonical(request.resolver_match.func, query, request.encoding, leave_out)
    return _canonical_for_address(
        getattr(request, "urlconf", None) or settings.ROOT_URLCONF,
        get_language(),  # an address resolves in the active language (i18n_patterns)
        request.path_info,
        query,
        request.encoding,
        frozenset(leave_out),
    )


# Remembered per process: every visit to a page with a query string (a filtered list, a
# search) asked it before the page cache could answer, and resolving the address and
# parsing the query twice was a third of such a hit. Bounded: a visitor may invent any
# number of query strings.
@functools.lru_cache(maxsize=2048)
def _canonical_for_address(urlconf, _language, path_info, query, encoding, leave_out):
    try:
        view = resolve(path_info, urlconf).func
    except Resolver404:
        return None
    return _canonical(view, query, encoding, leave_out)


def _canonical(view, query: str, encoding: str | None, leave_out) -> str | None:
    names = _declared(view)
    if names is None:
        return None
    values = QueryDict(query, encoding=encoding)
    chosen = ((name, values.get(name, "")) for name in sorted(names - set(leave_out)))
    return urlencode([(name, value) for name, value in chosen if value])


def canonical_path(request) -> str | None:
    """``request.get_full_path()`` with the canonical query (None: see canonical_query)."""
    query = canonical_query(request)
    if query is None:
        return None
    return escape_uri_path(request.path) + (f"?{query}" if query else "")


def origin(request) -> str:
    """The site's address as asked: links in feeds, the sitemap and JSON-LD are absolute."""
    return f"{request.scheme}://{request.get_host()}"


def keep_nothing(request) -> None:
    """This answer is not the canonical page (a value the view ignored or corrected), or
    its view failed: send it, but keep neither the page nor its fragments."""
    request._keep_nothing = True


def keeps_nothing(request) -> bool:
    return getattr(request, "_keep_nothing", False)
