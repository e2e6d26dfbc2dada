"""The content generation: the token every kept page, fragment and document is keyed by.

A token in the shared ``default`` cache, the same for every worker and instance, joined
with this process's release (``core.caching.release``). ``CacheMiddleware`` reads it once
per request, before the view reads any content, into ``request.content_generation``.

Saving or deleting content, or writing it in bulk, calls ``content_changed()``
(``core.caching.invalidation`` connects it), which replaces the token: every kept answer
is out of date at once, on every worker, and old entries simply expire.

Inside a transaction other connections see a change only when it commits, so the token is
replaced at the commit, once, however many rows changed (deleting a series' hundreds of
dates sends a signal a row). It is replaced at the transaction's first change too, and
again at a later change if this thread has read the token since: this connection sees
its own changes at once and may keep what it renders (a test, a request that writes then
reads).

Each worker **holds** the token it last read for ``CACHE_HOLD_MS`` (half a second by
default; 0 reads it every request), so a busy worker reads the shared cache about twice a
second instead of on every request. An edit made on this worker is seen here at once (the
token it makes is held); one made on another worker or instance reaches this one within
the hold: that is the bound on how long a page can outlive an edit (hiding a writer
included).
"""

import datetime
import logging
import threading
import time
import uuid
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.caching.release import release

logger = logging.getLogger(__name__)

GENERATION_KEY = "portal:content-generation"

# Per thread, as database connections are: whether this thread has read the token since it
# last replaced it (see content_changed).
_thread = threading.local()


class _Process:
    """Per process: ``held`` is (until, token), the token this worker last read or made,
    or None; one tuple, replaced whole, so a thread never sees half of it."""

    held: tuple[float, str] | None = None


def hold_seconds() -> float:
    """How long a worker holds what it read from the shared cache (``CACHE_HOLD_MS``)."""
    return max(getattr(settings, "CACHE_HOLD_MS", 0), 0) / 1000


def _hold(token: str | None) -> None:
    seconds = hold_seconds()
    _Process.held = (monotonic() + seconds, token) if token and seconds else None


def held_content_generation() -> str | None:
    """The content generation this worker holds (no round trip), or None when it holds
    none still within ``CACHE_HOLD_MS``."""
    held = _Process.held
    if held is None or held[0] <= monotonic() or not hold_seconds():
        return None
    return _generation(held[1])


def read_content_generation() -> str | None:
    """The current content generation; None when the shared cache cannot be read (then
    nothing is kept, and everything is rendered as with the caches off). The one this
    worker holds, if any; else read from the shared cache, and held."""
    held = held_content_generation()
    if held is not None:
        return held
    try:
        token = cache.get(GENERATION_KEY)
        if token is None:
            cache.add(GENERATION_KEY, _new_token(), timeout=None)
            token = cache.get(GENERATION_KEY)
    except Exception:  # the shared cache is down: render as if it were off
        logger.warning("No content generation: the shared cache is unavailable", exc_info=True)
        _hold(None)
        return None
    _hold(token)
    return _generation(token)


def read_content_generation_with(key: str) -> tuple[str | None, object]:
    """The current content generation and the entry `key` names in the shared cache, in
    one read (one query on PostgreSQL's cache table, one MGET on Redis): what a page-cache
    hit costs. The entry is None when absent; both are None when the cache cannot be read.
    Without a generation yet (a flushed cache) nothing kept can be current: it is made as
    ``read_content_generation`` does, and the entry is not looked at."""
    try:
        found = cache.get_many([GENERATION_KEY, key])
    except Exception:  # the shared cache is down: render as if it were off
        logger.warning("No content generation: the shared cache is unavailable", exc_info=True)
        _hold(None)
        return None, None
    token = found.get(GENERATION_KEY)
    if token is None:
        _hold(None)
        return read_content_generation(), None
    _hold(token)
    return _generation(token), found.get(key)


def _generation(token: str | None) -> str | None:
    if not token:
        return None
    _thread.read_since_change = True
    return f"{token}.{release()}"


def generation_made(generation: str | None) -> datetime.datetime | None:
    """When `generation`'s content last changed (None for one without a time)."""
    made, _, rest = (generation or "").partition("-")
    if not (rest and made.isdigit()):
        return None
    return datetime.datetime.fromtimestamp(int(made), tz=datetime.UTC)


def content_changed(**kwargs) -> None:
    """Content changed: start a new content generation (see the module's docstring).

    A signal receiver too (the keyword arguments), connected by core.caching.invalidation.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _start_new_generation()
        return
    if _replaced_at_commit(connection) is None:  # the transaction's first change
        _start_new_generation()
        transaction.on_commit(_AtCommit())
    elif getattr(_thread, "read_since_change", True):
        _start_new_generation()


class _AtCommit:
    """Registered once by a transaction that changes content: a new generation when it
    commits (dropped, as every on-commit callback, when it rolls back)."""

    def __call__(self):
        _start_new_generation()


def _replaced_at_commit(connection) -> _AtCommit | None:
    """This transaction's _AtCommit, if a change has registered it (Django keeps a
    transaction's pending callbacks as (savepoint ids, callback, robust); those of a
    savepoint rolled back are dropped, so a later change registers again)."""
    for _savepoints, callback, _robust in connection.run_on_commit:
        if isinstance(callback, _AtCommit):
            return callback
    return None


def _new_token() -> str:
    # Unique, and saying when it was made: when content last changed (generation_made).
    return f"{int(time.time())}-{uuid.uuid4().hex}"


def _start_new_generation() -> None:
    token = _new_token()
    try:
        cache.set(GENERATION_KEY, token, timeout=None)
    except Exception:  # a cache outage must not stop staff saving
        logger.warning("Could not start a new content generation", exc_info=True)
        _hold(None)  # read the shared cache again before keeping anything
        return
    _hold(token)  # this worker sees its own change at once
    _thread.read_since_change = False
