"""A URL configuration with a view that fails, to see the styled 500 page."""

from django.urls import include, path


def broken_view(request):
    message = "Deliberate failure for the 500 page test"
    raise RuntimeError(message)


urlpatterns = [
    path("broken/", broken_view),
    path("", include("refuge.urls")),
]

handler404 = "refuge.views.page_not_found"
handler500 = "refuge.views.server_error"
