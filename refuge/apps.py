from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RefugeConfig(AppConfig):
    """The project package: site-wide templates tags, health check, errors."""

    name = "refuge"
    verbose_name = _("Portal")
