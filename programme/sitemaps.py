"""The programme's sections of sitemap.xml: strands, projects, listed writers, pages."""

from django.contrib.sitemaps import Sitemap

from programme.models import Page, Project, Strand, Writer

# Each section's items are read into a list, so its paginator counts them without a
# COUNT query: the whole sitemap is one query per section, whatever its size.


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


SITEMAPS = {
    "strands": StrandSitemap,
    "projects": ProjectSitemap,
    "writers": WriterSitemap,
    "pages": PageSitemap,
}
