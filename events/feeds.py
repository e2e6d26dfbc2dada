"""The calendar's feeds: RSS and Atom of upcoming events (Django's syndication
framework), and the page that shows every iCalendar feed and how to subscribe to it."""

import base64
import io
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.defaultfilters import date as date_filter
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.caching import fragments
from events.models import Occurrence
from programme.models import Strand

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
        return f"{occurrence.event.uid}/{occurrence.local_start.date().isoformat()}"

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


# ---------------------------------------------------------------- subscribing


@dataclass(frozen=True)
class CalendarFeed:
    """One iCalendar feed as the subscribe page offers it."""

    key: str  # "all", or "strand-<slug>": names its elements on the page
    title: str
    description: str
    https_url: str  # what calendar apps are given: they fetch feeds over https only
    webcal_url: str  # a link that opens the visitor's calendar app, subscribing
    qr_code: str  # a data: URI of an SVG QR code of https_url, drawn here


def qr_code_data_uri(text: str) -> str:
    """An SVG QR code of `text`, drawn on the server (nothing fetched from elsewhere)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def calendar_feeds(request) -> list[CalendarFeed]:
    """Every iCalendar feed the site offers: all events, then each published strand's.

    Addresses are https: calendar apps (Google's above all) fetch feeds only from a
    secure address, and the public site is served over https."""
    host = request.get_host()

    def feed(key, title, description, path):
        return CalendarFeed(
            key=key,
            title=title,
            description=description,
            https_url=f"https://{host}{path}",
            webcal_url=f"webcal://{host}{path}",
            qr_code=qr_code_data_uri(f"https://{host}{path}"),
        )

    feeds = [
        feed(
            "all",
            _("All events"),
            _("Every reading, workshop, competition and talk in the programme."),
            reverse("events:feed"),
        )
    ]
    feeds += [
        feed(
            # Never just the slug: a strand slugged "all" would take the first feed's ids.
            f"strand-{strand.slug}",
            strand.title,
            _("Only the events of %(strand)s.") % {"strand": strand.title},
            reverse("events:strand_feed", kwargs={"strand": strand.slug}),
        )
        for strand in Strand.objects.published()
    ]
    return feeds


class SubscribeView(TemplateView):
    """Subscribe to our calendar: each feed's address, a Copy button, a webcal:// link,
    a QR code, and how to add it to Google Calendar, Apple Calendar and Outlook."""

    template_name = "events/subscribe.html"
    query_parameters = ()  # core/caching/keys.py

    def get_context_data(self, **kwargs):
        # One query (the strands) and a few QR codes: kept with the fragments, per host
        # and language, until the next staff edit.
        feeds = fragments.cached(
            self.request,
            "calendar-feeds",
            [self.request.get_host()],
            lambda: calendar_feeds(self.request),
        )
        return super().get_context_data(feeds=feeds, **kwargs)
