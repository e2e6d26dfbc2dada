"""Kept answers: ``StoredResponse``, and ``conditional_document`` for feeds and the sitemap.

``StoredResponse`` is the one form a kept answer takes, in the page cache and for
documents: status, headers and body, with its gzipped copy (``encoded``) and its answer to
a conditional request (``answer``: a 304 when the client's copy is current).

``conditional_document`` wraps a view whose answer is a *document*, the same for every
visitor whoever asks (a calendar, a feed, the sitemap: no drafts, no per-visitor parts), so
signed-in staff share it too. Each answer carries an ETag and a Last-Modified, answers
``If-None-Match`` / ``If-Modified-Since`` with a 304, says ``Vary: Accept-Encoding`` and is
gzipped for clients that take gzip (it holds no secret, so no BREACH); with fragments on
(``FRAGMENT_CACHE_SECONDS``), each encoding is kept per content generation. The view
returns either

- (``stamped=True``) a ``Document``: what it is named by (``stamp``) and when it last
  changed, with a ``render()`` not yet called. The ETag comes from the stamp and the
  content generation, so a conditional request is a 304 before anything is rendered or
  read from a cache, and the body is kept under it (the iCalendar feeds: rendering is
  their dear part); or
- an ordinary response (Django's feed and sitemap views): kept whole per content
  generation and canonical address, with the ETag of its body, so what changes by the
  clock alone (a publish-from time passing) shows when the kept copy expires, as for
  pages.

A document reads no query parameter unless ``query_parameters`` names it.
"""

import dataclasses
import datetime
import functools
import hashlib
from collections.abc import Callable
from typing import NamedTuple

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers, set_response_etag
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.text import compress_string
from django.utils.translation import get_language

from core.caching import fragments
from core.caching.generation import generation_made
from core.caching.keys import canonical_path, encoding, keeps_nothing, origin

# The request headers that make a request conditional (RFC 9110 section 13.1), all that
# get_conditional_response() reads.
CONDITIONS = frozenset(
    (
        "HTTP_IF_MATCH",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_IF_UNMODIFIED_SINCE",
    )
)


class StoredResponse(NamedTuple):
    """A response as kept: everything needed to send it again."""

    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, response) -> "StoredResponse":
        return cls(response.status_code, tuple(response.headers.items()), response.content)

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response

    def answer(self, request) -> HttpResponse:
        """The response, or a 304 when the client's copy (If-None-Match, If-Modified-Since)
        is current."""
        response = self.response()
        if CONDITIONS.isdisjoint(request.META):  # nearly every request: nothing to compare
            return response
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.get("ETag"), last_modified=last_modified, response=response
        )

    def encoded(self, name: str) -> "StoredResponse":
        """This response in encoding `name` ("gzip" or "identity"), as Django's
        GZipMiddleware would send it: gzipped only when that is smaller, its ETag then weak
        (another encoding of the same entity)."""
        response = self.response()
        if name != "gzip" or len(self.content) < 200 or response.has_header("Content-Encoding"):
            return self
        compressed = compress_string(self.content)
        if len(compressed) >= len(self.content):
            return self
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        response.headers["Content-Encoding"] = "gzip"
        etag = response.get("ETag", "")
        if etag.startswith('"'):
            response.headers["ETag"] = f"W/{etag}"
        return StoredResponse.of(response)

    @property
    def keepable(self) -> bool:
        return self.status == 200


@dataclasses.dataclass(frozen=True)
class Document:
    """A document named before it is rendered (see the module's docstring).

    `stamp` names its content apart from the content generation (which the ETag adds):
    whatever else it depends on, such as the day for a window of dates.
    """

    stamp: str
    render: Callable[[], bytes]
    content_type: str
    last_modified: datetime.datetime | None = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)


def conditional_document(view=None, *, stamped=False, query_parameters=()):
    """Decorate a view whose answer is a document (see the module's docstring).

    `stamped`: the view returns a ``Document``, named before it is rendered; its ETag
    carries the content generation, which CacheMiddleware then reads for it even with the
    caches off. Otherwise the view returns an ordinary response, kept whole.
    """
    if view is None:
        return functools.partial(
            conditional_document, stamped=stamped, query_parameters=query_parameters
        )

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        address = canonical_path(request)
        wanted = encoding(request)
        if stamped:
            answer = view(request, *args, **kwargs)
            if not isinstance(answer, Document):  # a redirect, say: as it is
                return answer
            return _stamped_document(request, answer, address, wanted)
        whole = _key(request, "whole", address)
        if whole is not None:
            stored = caches["fragments"].get(f"{whole}:{wanted}")
            if stored is not None:
                return stored.answer(request)
        return _whole_document(request, view(request, *args, **kwargs), whole, wanted)

    wrapper.query_parameters = frozenset(query_parameters)
    wrapper.reads_content_generation = stamped  # see CacheMiddleware.process_view
    return wrapper


def _key(request, kind: str, *parts) -> str | None:
    """The key `request`'s document is kept under, None when nothing may be kept."""
    generation = getattr(request, "content_generation", None)
    if fragments.seconds() <= 0 or generation is None or None in parts or keeps_nothing(request):
        return None
    digest = hashlib.sha256(repr((origin(request), *parts)).encode()).hexdigest()[:40]
    return f"document:{generation}:{get_language()}:{kind}:{digest}"


def _kept(key: str | None, wanted: str, identity: Callable[[], StoredResponse]):
    """The answer in encoding `wanted`, each encoding kept under `key` (None: not kept)."""
    if key is None:
        return identity().encoded(wanted)

    def keep(stored):
        return stored.keepable

    def plain():
        return fragments.kept(f"{key}:identity", identity, keep=keep)

    if wanted == "identity":
        return plain()
    return fragments.kept(f"{key}:{wanted}", lambda: plain().encoded(wanted), keep=keep)


def _whole_document(request, response, key: str | None, wanted: str):
    if response.streaming:
        return response
    if hasattr(response, "render"):  # a TemplateResponse (the sitemap)
        response.render()
    if response.cookies:
        key = None
    patch_vary_headers(response, ["Accept-Encoding"])
    if not response.has_header("ETag"):
        set_response_etag(response)  # of the body
    stored = _kept(key, wanted, lambda: StoredResponse.of(response))
    return stored.answer(request)


def _stamped_document(request, document: Document, address: str | None, wanted: str):
    generation = getattr(request, "content_generation", None)
    named = (origin(request), address, get_language(), document.stamp, generation or "")
    etag = quote_etag(hashlib.sha256(repr(named).encode()).hexdigest()[:32])
    # A venue renamed, a bulk publish: later than the document's own time, and in the ETag.
    times = [document.last_modified, generation_made(generation)]
    last_modified = max(filter(None, times), default=None)

    head = HttpResponse(content_type=document.content_type)
    for name, value in document.headers.items():
        head.headers[name] = value
    head.headers["ETag"] = etag
    if last_modified is not None:
        head.headers["Last-Modified"] = http_date(last_modified.timestamp())
    patch_vary_headers(head, ["Accept-Encoding"])
    conditional = get_conditional_response(
        request,
        etag=etag,
        last_modified=int(last_modified.timestamp()) if last_modified else None,
        response=head,
    )
    if conditional is not head:  # a 304 (or a 412): nothing rendered, nothing read
        return conditional

    def identity():
        head.content = document.render()
        return StoredResponse.of(head)

    key = _key(request, "stamped", etag) if address is not None else None
    return _kept(key, wanted, identity).response()
