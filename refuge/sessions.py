"""Sessions in PostgreSQL, as Django's database backend keeps them, read for less.

A returning visitor who holds a session is answered from the page cache after one read
of it (core/caching/middleware.py, ``_plain_session``). Django builds and compiles that
read's query anew each time, which cost more than the rest of the answer; here it is
compiled once per process (core/compiled.py), and only the key and the time change.
Writes, expiry and ``clearsessions`` are Django's own: the row stays the one copy that
counts. A cookie whose key holds characters Django never puts in one (a NUL byte, which
PostgreSQL refuses outright) is no session, not an error.
"""

import string

from django.contrib.sessions.backends import db
from django.utils import timezone

from core.compiled import TIME_MARK, CompiledQuery

# Stands for the key in the compiled query (core.compiled.TIME_MARK for the time).
_KEY = "\x00session-key"

# What Django makes a session key of (SessionBase's VALID_KEY_CHARS).
KEY_CHARACTERS = frozenset(string.ascii_lowercase + string.digits)

# The read Django's backend makes: the session's data while it has not expired.
_READ = CompiledQuery(
    lambda key, now: (
        db.SessionStore.get_model_class()
        .objects.filter(session_key=key, expire_date__gt=now)
        .values_list("session_data", "expire_date")
    ),
    key=_KEY,
    now=TIME_MARK,
)


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key) -> bool:
        return super()._validate_session_key(key) and set(key) <= KEY_CHARACTERS

    def _get_session_from_db(self):
        rows = _READ.rows(key=self.session_key, now=timezone.now()) if self.session_key else []
        if not rows:
            self._session_key = None
            return None
        data, expires = rows[0]
        return self.model(session_key=self.session_key, session_data=data, expire_date=expires)
