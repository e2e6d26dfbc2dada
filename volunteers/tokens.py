"""Signed, expiring tokens: the links in volunteers' emails and the form's own ticket.

Each purpose has its own salt, so a confirmation link can never withdraw and
a withdrawal link can never confirm.
"""

import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

CONFIRM = "volunteers.confirm"
WITHDRAW = "volunteers.withdraw"
FORM = "volunteers.form"

DAY = 24 * 60 * 60


class InvalidTokenError(Exception):
    """The token was tampered with or is not ours."""


class ExpiredTokenError(Exception):
    """The token was ours but is too old."""


def _max_age(purpose: str) -> int:
    days = {
        CONFIRM: settings.VOLUNTEERS["CONFIRM_LINK_DAYS"],
        WITHDRAW: settings.VOLUNTEERS["WITHDRAW_LINK_DAYS"],
    }[purpose]
    return days * DAY


def make_link_token(public_id: uuid.UUID, purpose: str) -> str:
    return signing.dumps({"id": public_id.hex}, salt=purpose, compress=True)


def read_link_token(token: str, purpose: str) -> uuid.UUID:
    """Return the application's public id, or raise ExpiredTokenError / InvalidTokenError."""
    try:
        payload = signing.loads(token, salt=purpose, max_age=_max_age(purpose))
        return uuid.UUID(hex=payload["id"])
    except signing.SignatureExpired:
        raise ExpiredTokenError from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidTokenError from None


@dataclass(frozen=True)
class FormTicket:
    """Issued with each rendered form: when it was shown, which notice it showed, its key."""

    key: uuid.UUID
    issued_at: float
    privacy_notice_version: str

    @classmethod
    def issue(cls, privacy_notice_version: str) -> "FormTicket":
        return cls(uuid.uuid4(), time.time(), privacy_notice_version)

    def dumps(self) -> str:
        return signing.dumps(
            {"k": self.key.hex, "t": self.issued_at, "v": self.privacy_notice_version},
            salt=FORM,
        )

    @classmethod
    def loads(cls, value: str) -> "FormTicket":
        try:
            payload = signing.loads(value, salt=FORM)
            return cls(uuid.UUID(hex=payload["k"]), float(payload["t"]), str(payload["v"]))
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise InvalidTokenError from None

    def seconds_open(self) -> float:
        return time.time() - self.issued_at

    def is_stale(self) -> bool:
        """Older than FORM_TICKET_HOURS: a form kept open that long, or a post replayed
        (its key could otherwise make a second record once the first is erased)."""
        return self.seconds_open() > settings.FORM_TICKET_HOURS * 60 * 60
