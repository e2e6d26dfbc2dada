"""The portal's own settings, with the benchmark's URLconf (which adds the framework floor)."""

from refuge.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The floor is Django with our middleware, but without a cache lookup: pages pay for
# theirs, so the floor must not.
CACHE_EXEMPT_PATHS = ["/bench/floor/", "/bench/bare/"]

# The booking POST (bench/booking.py): a visitor posts as soon as the form is read, not
# after the minimum fill time, and every post comes from 127.0.0.1, so the rate limit is
# raised out of reach (it is still counted). Emails are built but sent nowhere.
BOOKINGS = {**BOOKINGS, "MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10**9}  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend", "OPTIONS": {}}}
