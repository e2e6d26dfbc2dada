"""Addresses of the Calendar of Events: lists, the calendar, an event, and its feeds."""

import datetime

from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from core import converters  # noqa: F401 (registers <year>, <month>, <day>, <uslug>)
from core.caching.responses import conditional_document
from events import feeds, views


class IsoDateConverter:
    """``<isodate:on>``: a date as YYYY-MM-DD (a datetime is written as its date)."""

    regex = "[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # a ValueError (30 February) is a 404

    def to_url(self, value) -> str:
        if isinstance(value, datetime.datetime):
            value = value.date()
        return value.isoformat() if isinstance(value, datetime.date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "events"

urlpatterns = [
    path("", views.UpcomingView.as_view(), name="list"),
    path("past/", views.PastView.as_view(), name="past"),
    path("calendar/", require_safe(views.calendar_today), name="calendar"),
    path("calendar/<year:year>/<month:month>/", views.MonthView.as_view(), name="month"),
    path("calendar/<year:year>/<month:month>/<day:day>/", views.DayView.as_view(), name="day"),
    path("subscribe/", feeds.SubscribeView.as_view(), name="subscribe"),
    path("feed.ics", views.feed_ics, name="feed"),
    path("feed/<uslug:strand>.ics", views.feed_ics, name="strand_feed"),
    # Documents: tagged, gzipped and kept per content generation (core/caching/responses.py).
    path("rss/", require_safe(conditional_document(feeds.UpcomingEventsFeed())), name="rss"),
    path("atom/", require_safe(conditional_document(feeds.UpcomingEventsAtomFeed())), name="atom"),
    path("<uslug:slug>.ics", views.event_ics, name="event_ics"),
    path("<uslug:slug>/<isodate:on>.ics", views.occurrence_ics, name="occurrence_ics"),
    path("<uslug:slug>/", views.EventDetailView.as_view(), name="detail"),
]
