"""RSS and Atom feeds of upcoming events (Django's syndication framework)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.defaultfilters import date as date_filter
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Occurrence

FEED_LENGTH = 30


class UpcomingEventsFeed(Feed):
    link = reverse_lazy("events:list")
    description = gettext_lazy("Readings, workshops, competitions and talks coming up.")

    def title(self):
        return _("%(name)s: Calendar of Events") % {"name": settings.PORTAL["NAME"]}

    def items(self):
        return Occurrence.objects.published().upcoming().with_event()[:FEED_LENGTH]

    def item_title(self, occurrence):
        if occurrence.cancelled:
            return _("Cancelled: %(title)s") % {"title": occurrence.event.title}
        return occurrence.event.title

    def item_description(self, occurrence):
        # When and what, never where: a private venue's address must not reach a feed.
        when = date_filter(occurrence.start, "l j F Y, H:i")
        if occurrence.event.all_day:
            when = date_filter(occurrence.start, "l j F Y")
        parts = [when, occurrence.event.public_location_text, occurrence.event.summary]
        return " · ".join(part for part in parts if part)

    def item_link(self, occurrence):
        return occurrence.get_absolute_url()

    def item_guid(self, occurrence):
        return f"{occurrence.event.uid}/{occurrence.local_start:%Y-%m-%d}"

    item_guid_is_permalink = False

    def item_pubdate(self, occurrence):
        return occurrence.event.created_at

    def item_updateddate(self, occurrence):
        return occurrence.event.updated_at

    def item_categories(self, occurrence):
        return [occurrence.event.get_event_type_display(), occurrence.event.strand.title]


class UpcomingEventsAtomFeed(UpcomingEventsFeed):
    feed_type = Atom1Feed
    subtitle = UpcomingEventsFeed.description
