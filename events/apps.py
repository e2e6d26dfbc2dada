"""The Calendar of Events: events, their dates, feeds and venues."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Calendar of Events")

    def ready(self):
        from core import search, sitemaps
        from events import search as events_search
        from events import sitemaps as events_sitemaps

        for searchable in events_search.SEARCHABLES:
            search.register(searchable)
        sitemaps.register(events_sitemaps.SITEMAPS)
