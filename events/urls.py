from django.urls import path
from django.views.decorators.gzip import gzip_page

from events import feeds, views
from refuge.fragments import cache_document

app_name = "events"

urlpatterns = [
    path("", views.UpcomingView.as_view(), name="list"),
    path("past/", views.PastView.as_view(), name="past"),
    path("calendar/", views.calendar_today, name="calendar"),
    path("calendar/<int:year>/<int:month>/", views.MonthView.as_view(), name="month"),
    path("calendar/<int:year>/<int:month>/<int:day>/", views.DayView.as_view(), name="day"),
    path("feed.ics", views.feed_ics, name="feed"),
    path("feed/<str:strand>.ics", views.feed_ics, name="strand_feed"),
    path("rss/", cache_document(gzip_page(feeds.UpcomingEventsFeed())), name="rss"),
    path("atom/", cache_document(gzip_page(feeds.UpcomingEventsAtomFeed())), name="atom"),
    path("<str:slug>.ics", views.event_ics, name="event_ics"),
    path("<str:slug>/", views.EventDetailView.as_view(), name="detail"),
]
