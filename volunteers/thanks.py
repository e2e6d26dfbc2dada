"""What the thanks page remembers of the form just sent: where the confirmation went.

A signed cookie, not the session and never the URL: it lives 30 minutes, only the thanks
page's own address receives it (``path``), scripts cannot read it (``HttpOnly``), and it
holds only what the person typed a moment ago (their address), the new application's
public id (so "Start again" can withdraw it while unconfirmed) and the roles they chose (so
the form can tick them again). No session row is made for a visitor, so every other page
stays as cacheable for them as before (``tests/perf/test_session_writes.py``). The thanks
page itself is ``never_cache``.
"""

import time
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.urls import reverse

COOKIE = "volunteer_sent"
SALT = "volunteers.thanks"
MAX_AGE = 30 * 60
# "Send it again": this many times per network, and as many per address whichever networks
# ask (an address typed into the form may be a stranger's), per window (settings.VOLUNTEERS
# may override with RESEND_LIMIT / RESEND_WINDOW).
RESEND_LIMIT = 3
RESEND_WINDOW = 60 * 60


@dataclass(frozen=True)
class Sent:
    email: str
    application_id: uuid.UUID | None
    role_slugs: tuple[str, ...]
    resent: bool = False
    # When the form was sent: "Send it again" re-signs the cookie but never restarts its
    # half hour, so a kept cookie cannot name (or mail) the address for ever.
    sent_at: float = field(default_factory=time.time)


def _path() -> str:
    return reverse("volunteers:thanks")  # in the page's language: /ar/volunteer/thanks/


def remember(
    response,
    *,
    email: str = "",
    application=None,
    role_slugs=(),
    sent: Sent | None = None,
    resent: bool = False,
) -> None:
    if sent is not None:
        email, role_slugs, sent_at = sent.email, sent.role_slugs, sent.sent_at
        application_hex = sent.application_id.hex if sent.application_id else ""
    else:
        application_hex = application.public_id.hex if application is not None else ""
        sent_at = time.time()
    value = signing.dumps(
        {"e": email, "a": application_hex, "r": list(role_slugs), "s": resent, "t": sent_at},
        salt=SALT,
        compress=True,
    )
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE if sent is None else max(0, round(sent_at + MAX_AGE - time.time())),
        path=_path(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def read(request) -> Sent | None:
    value = request.COOKIES.get(COOKIE)
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=SALT, max_age=MAX_AGE)
        sent_at = float(payload["t"])
        if not time.time() - MAX_AGE <= sent_at <= time.time() + 60:
            return None
        application_hex = payload["a"]
        return Sent(
            email=str(payload["e"]),
            application_id=uuid.UUID(hex=application_hex) if application_hex else None,
            role_slugs=tuple(str(slug) for slug in payload["r"])[:20],
            resent=bool(payload.get("s")),
            sent_at=sent_at,
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def forget(response) -> None:
    response.delete_cookie(COOKIE, path=_path(), samesite="Lax")
