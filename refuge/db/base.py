"""Django's PostgreSQL backend, with one round trip less on a busy worker's reads.

Persistent connections (``CONN_MAX_AGE``) are health-checked before a request first uses
one: Django sends ``SELECT 1`` and reconnects if it fails, so that a database restart costs
no visitor an error. On an answer that makes one query (a returning visitor's cached page
reads their session; a kept page's fragments read one row) the check doubled the round
trips. Here a GET or HEAD trusts a connection that answered within the last
``CONN_TRUSTED_MS`` and skips the check. Should the connection have died in between (the
server restarted, a backend was killed), the request's first statement fails before
anything ran: outside a transaction it is asked again, once, on a new connection, so the
visitor sees nothing. A POST, and anything after a quiet spell, is checked as Django
checks it.

A query run twice on a connection is prepared (``DATABASE_PREPARE_THRESHOLD``), and after
five runs PostgreSQL may keep one *generic* plan for it, made without its values. For a
count over a range of time that plan guesses how many rows the range holds, and guessed
wrong: the past events' count took 15 ms on a generic plan against 9 planned for its
values, the filtered upcoming count 5 against 4. A count (Django's ``.count()``, a
paginator's) is therefore never prepared: it is planned for its values each time, as it
was before preparing, while every other query keeps its saved plan.
"""

import time
from contextvars import ContextVar

from django.core.signals import request_finished, request_started
from django.db import InterfaceError, OperationalError
from django.db.backends.postgresql import base

# Whether the request being answered only reads (GET, HEAD): set as it starts.
_reads_only: ContextVar[bool] = ContextVar("reads_only", default=False)


def _request_started(sender, environ=None, **kwargs):
    _reads_only.set(bool(environ) and environ.get("REQUEST_METHOD") in ("GET", "HEAD"))


def _request_finished(sender, **kwargs):
    _reads_only.set(False)


request_started.connect(_request_started, dispatch_uid="refuge.db.request_started")
request_finished.connect(_request_finished, dispatch_uid="refuge.db.request_finished")


# How Django's .count() begins (Query.get_count()): the aggregate it names "__count".
COUNT = 'SELECT COUNT(*) AS "__count" '


class ServerBindingCursor(base.ServerBindingCursor):
    """Django's cursor with server-side binding, a count planned for its values."""

    def execute(self, query, params=None, *, prepare=None, binary=None):
        if prepare is None and isinstance(query, str) and query.startswith(COUNT):
            prepare = False
        return super().execute(query, params, prepare=prepare, binary=binary)


class DatabaseWrapper(base.DatabaseWrapper):
    # When this connection last answered a request without error (time.monotonic()).
    answered_at = float("-inf")
    # The health check was skipped and no statement has run since.
    unchecked = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(self._ask_again_if_it_died)

    def get_connection_params(self):
        params = super().get_connection_params()
        if params.get("cursor_factory") is base.ServerBindingCursor:  # server_side_binding
            params["cursor_factory"] = ServerBindingCursor
        return params

    def trusted_seconds(self) -> float:
        return self.settings_dict.get("CONN_TRUSTED_MS", 0) / 1000

    def close_if_health_check_failed(self):
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and _reads_only.get()
            and time.monotonic() - self.answered_at < self.trusted_seconds()
        ):
            self.health_check_done = True
            self.unchecked = True
            return
        super().close_if_health_check_failed()

    def close_if_unusable_or_obsolete(self):
        # Called as each request starts and ends: a connection that ran its statements
        # (or passed its check) without error answered just now.
        answered = (
            self.connection is not None
            and self.health_check_done
            and not self.unchecked
            and not self.errors_occurred
        )
        self.unchecked = False
        super().close_if_unusable_or_obsolete()
        if answered and self.connection is not None:
            self.answered_at = time.monotonic()

    def _ask_again_if_it_died(self, execute, sql, params, many, context):
        if not self.unchecked:
            return execute(sql, params, many, context)
        self.unchecked = False
        try:
            return execute(sql, params, many, context)
        except (OperationalError, InterfaceError):
            # Inside a transaction its earlier work went with the connection; and a
            # connection that still answers failed for another reason (a timeout).
            if self.in_atomic_block or self.is_usable():
                raise
            # The connection died since it last answered: nothing of this request ran on
            # it (a GET's first statement reads), so it is asked again on a new one.
            wrapper = context["cursor"]
            name = getattr(wrapper.cursor, "name", None)  # a server-side cursor stays one
            self.close()
            self.ensure_connection()
            wrapper.cursor = self.create_cursor(name)
            return execute(sql, params, many, context)
