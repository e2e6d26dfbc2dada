"""Limits on staff sign-in and password-reset mail: guessing stays slow, and nobody can
lock a colleague out.

- **One username from one address** is locked after ``LOGIN_FAILURE_LIMIT`` failures,
  for ``LOGIN_LOCKOUT_MINUTES`` (django-axes, ``AXES_LOCKOUT_PARAMETERS``). Failures from
  other addresses never lock the account's owner out at their own address.
- **One address failing for many usernames** (a password spray) is locked after
  ``LOGIN_IP_FAILURE_LIMIT`` failures in the same time (``StaffLoginHandler``).
- **One username tried from many addresses** is slowed, not locked: past
  ``LOGIN_USERNAME_ATTEMPTS_PER_MINUTE`` sign-ins in a minute from addresses that have
  never signed in as that user, an address that has already failed for it gets "try
  again in a minute" without its password being checked. An address with no failure
  for that username (the owner on a new network, say) and one the user has signed in
  from before are never slowed, so however many addresses a stranger uses, the owner
  still gets in.
- **Password-reset mail** goes to one address at most ``PASSWORD_RESET_MAILS_PER_HOUR``
  times an hour; the form answers the same whether or not a mail went.

Counters are the volunteers' shared, atomic ones (``core/ratelimit.py``): Redis or
PostgreSQL, never a worker's own memory, and keyed by a keyed hash, so no username or
address is stored in them. docs/operations.md says how to lift a lockout.
"""

import hashlib
import hmac
import time

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.client_ip import client_ip

TRY_AGAIN_IN_A_MINUTE = _(
    "There have been too many sign-in attempts for this account in the last minute. "
    "Please try again in a minute."
)


class StaffLoginHandler(AxesDatabaseHandler):
    """django-axes' handler, which locks a username at one address, and also an address
    that keeps failing whatever the username."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return address_failures(request) >= settings.LOGIN_IP_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # As axes does for a username: the failure that reaches the limit, and every one
        # after it, is answered with the lockout page (429), not "wrong password".
        if (
            request is not None
            and not request.axes_locked_out
            and address_failures(request) >= settings.LOGIN_IP_FAILURE_LIMIT
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def address_failures(request) -> int:
    """Failed sign-ins from this request's address, for any username, in the cool-off."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _counter(scope: str, value: str, window: int) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{ratelimit.KEY_PREFIX}:{scope}:{int(time.time() // window)}:{digest[:32]}"


def username_slowed(request, username: str) -> bool:
    """Count a sign-in as `username`; True when it must wait (see the module's doc)."""
    limit = settings.LOGIN_USERNAME_ATTEMPTS_PER_MINUTE
    if limit <= 0 or not username:
        return False
    address = client_ip(request)
    if AccessLog.objects.filter(username=username, ip_address=address).exists():
        return False  # the account's own address: only its own failures count there
    count = ratelimit.increment(_counter("login-username", username.casefold(), 60), 60)
    if count <= limit:
        return False
    # Under attack: only addresses that have failed for this username wait; a first
    # try from anywhere else is checked as usual.
    return AccessAttempt.objects.filter(
        username=username, ip_address=address, failures_since_start__gt=0
    ).exists()


def reset_mail_allowed(email: str) -> bool:
    """Count a password-reset request for `email`; False when it may not be mailed again."""
    window = 3600
    key = _counter("password-reset", email.strip().casefold(), window)
    return ratelimit.increment(key, window) <= settings.PASSWORD_RESET_MAILS_PER_HOUR
