"""Sessions in PostgreSQL, as Django's database backend keeps them, read for less.

A returning visitor who holds a session is answered from the page cache after one read
of it (core/caching/middleware.py, ``_plain_session``). Django builds and compiles that
read's query anew each time, which cost more than the rest of the answer; here it is
compiled once per process, and only the key and the time change. Writes, expiry and
``clearsessions`` are Django's own: the row stays the one copy that counts.
"""

import datetime
import functools
import logging

from django.contrib.sessions.backends import db
from django.core.exceptions import SuspiciousOperation
from django.db import connections, router
from django.utils import timezone

# Stand for the key and the time in the compiled query, whose parameters they mark.
_KEY = "\x00session-key"
_NOW = datetime.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=datetime.UTC)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        try:
            row = self._read(self.session_key, timezone.now())
        except SuspiciousOperation as error:
            logger = logging.getLogger(f"django.security.{error.__class__.__name__}")
            logger.warning(str(error))
            row = None
        if row is None:
            self._session_key = None
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])

    def _read(self, key: str | None, now: datetime.datetime) -> tuple | None:
        if key is None:
            return None
        sql, params = _compiled_read(self.model)
        values = [key if value is _KEY else now if value is _NOW else value for value in params]
        with connections[router.db_for_read(self.model)].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchone()


@functools.cache
def _compiled_read(model) -> tuple[str, tuple]:
    """The read Django's backend makes (the session's data while it has not expired),
    compiled once: the SQL depends on the code alone."""
    query = model.objects.filter(session_key=_KEY, expire_date__gt=_NOW).values_list(
        "session_data", "expire_date"
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)
