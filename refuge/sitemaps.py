from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from events.models import Event
from programme.models import Page, Project, Strand, Writer

# Each section's items are read into a list, so its paginator counts them without a
# COUNT query: the whole sitemap is one query per section, whatever its size.


class StaticViewSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "programme:strands",
            "programme:writers",
            "programme:supporters",
            "events:list",
            "volunteers:index",
        ]

    def location(self, item):
        return reverse(item)


class StrandSitemap(Sitemap):
    def items(self):
        return list(Strand.objects.published())

    def lastmod(self, obj):
        return obj.updated_at


class ProjectSitemap(Sitemap):
    def items(self):
        return list(
            Project.objects.published()
            .filter(strand__in=Strand.objects.published())
            .select_related("strand")
        )

    def lastmod(self, obj):
        return obj.updated_at


class WriterSitemap(Sitemap):
    def items(self):
        # Unlisted writers are reachable by link only: never in a sitemap.
        return list(Writer.objects.listed())

    def lastmod(self, obj):
        return obj.updated_at


class PageSitemap(Sitemap):
    def items(self):
        return list(Page.objects.published())

    def lastmod(self, obj):
        return obj.updated_at


class EventSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        # Published events with a date still to come; past ones drop out of the sitemap.
        return list(Event.objects.published().upcoming().order_by("start", "pk"))

    def lastmod(self, obj):
        return obj.updated_at


sitemaps = {
    "static": StaticViewSitemap,
    "strands": StrandSitemap,
    "projects": ProjectSitemap,
    "writers": WriterSitemap,
    "pages": PageSitemap,
    "events": EventSitemap,
}
