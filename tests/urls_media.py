"""The portal's URLs with MEDIA_URL served as a proxy or bucket would serve it: whatever
is in the `default` storage, nothing else."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    path("", include("refuge.urls")),
]
