"""The portal's URLs plus the benchmark's floors: /bench/floor/, a view that returns ``ok``
through the portal's middleware, and /bench/bare/, the same view that bench/wsgi.py serves
through no middleware at all: the framework's own speed."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

from refuge.urls import handler404, handler500
from refuge.urls import urlpatterns as portal_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


@never_cache  # through every middleware; no cache looks at it (bench/settings.py)
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/bare/", bare, name="bench-bare"),
    *portal_urlpatterns,
]
