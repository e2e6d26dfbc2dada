"""The portal's own settings, with the benchmark's URLconf (which adds the framework floor)."""

from refuge.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The floor is Django with our middleware, but without a cache lookup: pages pay for
# theirs, so the floor must not.
CACHE_EXEMPT_PATHS = ["/bench/floor/", "/bench/bare/"]
