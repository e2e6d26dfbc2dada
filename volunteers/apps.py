"""Volunteer roles and applications: sign-up, double opt-in and the coordinator's workflow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from core import search
        from volunteers import search as volunteers_search

        for searchable in volunteers_search.SEARCHABLES:
            search.register(searchable)
