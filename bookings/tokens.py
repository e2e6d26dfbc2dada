"""Signed tokens: the links in booking emails, the personal calendar file, the door's QR code.

Each purpose has its own salt, so a confirmation link can never open the
manage page, a calendar link can never cancel, and a check-in code is good for
nothing but checking in. Tokens carry the booking's ``public_id``, never its
number or any personal data.

The booking form's ticket (when it was shown, which privacy notice, its key) is
the volunteers' ``FormTicket``: the same signed ticket, its own salt would add
nothing.
"""

import uuid

from django.conf import settings
from django.core import signing

from volunteers.tokens import ExpiredTokenError, FormTicket, InvalidTokenError

__all__ = [
    "CALENDAR",
    "CHECKIN",
    "CONFIRM",
    "MANAGE",
    "ExpiredTokenError",
    "FormTicket",
    "InvalidTokenError",
    "checkin_token",
    "make_link_token",
    "read_checkin_token",
    "read_link_token",
]

CONFIRM = "bookings.confirm"
MANAGE = "bookings.manage"
CALENDAR = "bookings.calendar"
CHECKIN = "bookings.checkin"

DAY = 24 * 60 * 60


def _max_age(purpose: str) -> int:
    days = {
        CONFIRM: settings.BOOKINGS["CONFIRM_LINK_DAYS"],
        MANAGE: settings.BOOKINGS["MANAGE_LINK_DAYS"],
        CALENDAR: settings.BOOKINGS["MANAGE_LINK_DAYS"],
    }[purpose]
    return days * DAY


def make_link_token(public_id: uuid.UUID, purpose: str) -> str:
    return signing.dumps({"b": public_id.hex}, salt=purpose, compress=True)


def read_link_token(token: str, purpose: str) -> uuid.UUID:
    """Return the booking's public id, or raise ExpiredTokenError / InvalidTokenError."""
    try:
        payload = signing.loads(token, salt=purpose, max_age=_max_age(purpose))
        return uuid.UUID(hex=payload["b"])
    except signing.SignatureExpired:
        raise ExpiredTokenError from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidTokenError from None


def checkin_token(booking) -> str:
    """What the QR code in the confirmation email holds: a signed token, nothing readable.

    The door's check-in page resolves it with ``read_checkin_token()``. It does not
    expire (the booking's status says whether it is still good).
    """
    return signing.dumps({"b": booking.public_id.hex}, salt=CHECKIN, compress=True)


def read_checkin_token(token: str) -> uuid.UUID:
    """The booking's ``public_id`` from a scanned code, or raise InvalidTokenError."""
    try:
        payload = signing.loads(token.strip(), salt=CHECKIN)
        return uuid.UUID(hex=payload["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, AttributeError):
        raise InvalidTokenError from None
