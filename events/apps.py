from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The Calendar of Events (built in the events issue)."""

    name = "events"
    verbose_name = _("Calendar of Events")
