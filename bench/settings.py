"""The portal's own settings, with the benchmark's URLconf (which adds the framework floor)."""

from refuge.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
