"""The project package's app configs: the portal itself, and the admin on our site class."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class RefugeConfig(AppConfig):
    """The project package: site-wide template tags, health check, errors."""

    name = "refuge"
    verbose_name = _("Portal")


class RefugeAdminConfig(AdminConfig):
    """Django's admin, on our site class (branding, two-factor sign-in)."""

    default_site = "refuge.admin_site.RefugeAdminSite"
