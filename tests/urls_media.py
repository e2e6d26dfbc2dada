"""The portal's URLs with MEDIA_URL served as a proxy or bucket would serve it: whatever
is in the `default` storage, nothing else."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from refuge.urls import urlpatterns as portal_urlpatterns

# The portal's own patterns, not include()d: i18n_patterns must be in the root URLconf.
urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    *portal_urlpatterns,
]
