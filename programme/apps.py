"""The programme: strands, projects, writers in residence, partners and pages."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "programme"
    verbose_name = _("Programme")

    def ready(self):
        from core import search, sitemaps
        from programme import search as programme_search
        from programme import sitemaps as programme_sitemaps

        for searchable in programme_search.SEARCHABLES:
            search.register(searchable)
        sitemaps.register(programme_sitemaps.SITEMAPS)
