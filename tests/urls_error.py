"""A URL configuration with a view that fails, to see the styled 500 page."""

from django.urls import path

from refuge.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    message = "Deliberate failure for the 500 page test"
    raise RuntimeError(message)


# The portal's own patterns, not include()d: i18n_patterns must be in the root URLconf.
urlpatterns = [
    path("broken/", broken_view),
    *portal_urlpatterns,
]

handler404 = "refuge.views.page_not_found"
handler500 = "refuge.views.server_error"
