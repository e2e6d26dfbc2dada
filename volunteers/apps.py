"""Volunteer roles and applications: sign-up, double opt-in and the coordinator's workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")
