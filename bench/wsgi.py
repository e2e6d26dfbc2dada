"""What gunicorn serves in `make bench`: the portal, and beside it the bare floor.

``/bench/bare/`` goes to a second Django handler, in the same worker, that loaded no
middleware at all: a view that returns ``ok``, through Django's request handling and URL
resolution only. It is the floor the issue's goals are measured against (a cached page at
half its speed or better). ``/bench/floor/`` is the same view through the portal's whole
middleware stack (``bench/urls.py``); everything else is the portal.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

BARE_PATH = "/bench/bare/"

portal = get_wsgi_application()


class BareHandler(WSGIHandler):
    """Django's own WSGI handler with an empty middleware list."""

    def load_middleware(self, is_async=False):
        with override_settings(MIDDLEWARE=[]):
            super().load_middleware(is_async)


bare = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare(environ, start_response)
    return portal(environ, start_response)
