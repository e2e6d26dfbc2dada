"""The shared base every app builds on: fields, publishing, images, caching, roles."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from core import checks  # noqa: F401 (registers the system checks)
        from core.caching.invalidation import connect_content_models
        from core.caching.release import release

        # Every model whose default queryset uses ContentQuerySetMixin, wherever it lives.
        connect_content_models()
        release()  # derived once per process, at start-up (core/caching/release.py)
