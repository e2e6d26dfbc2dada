"""Returning visitors for `make bench`: the cookies a visitor brings back.

``python -m bench.visitors --out visitors.json`` (``DATABASE_URL`` naming the benchmark
database) writes two ``Cookie`` header values: one with only a ``csrftoken`` (anyone who has
seen a form) and one with a real session too (a session row holding what a flow keeps, as a
visitor who is part way through one has).
"""

import argparse
import json
from pathlib import Path


def cookies() -> dict[str, str]:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    session = SessionStore()
    session["bench_returning_visitor"] = True  # what a flow keeps; nobody is signed in
    session.save()
    csrf = f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
    return {
        "csrf": csrf,
        "session": f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {csrf}",
    }


def main() -> None:
    import django

    django.setup()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    Path(args.out).write_text(json.dumps(cookies()))


if __name__ == "__main__":
    main()
