from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """Volunteer roles and applications (built in the volunteers issue)."""

    name = "volunteers"
    verbose_name = _("Volunteers")
