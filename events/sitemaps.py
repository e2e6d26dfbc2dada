"""The calendar's section of sitemap.xml: events still to come."""

from django.contrib.sitemaps import Sitemap

from events.models import Event


class EventSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        # Published events with a date still to come; past ones drop out of the sitemap.
        return list(Event.objects.published().upcoming().order_by("start", "pk"))

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {"events": EventSitemap}
