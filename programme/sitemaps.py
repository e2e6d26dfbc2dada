"""The programme's sections of sitemap.xml: strands, projects, listed writers, their
writings, pages."""

from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from programme.models import Page, Project, Strand, Writer, WritingVersion

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


class WritingListSitemap(Sitemap):
    def items(self):
        return ["programme:writings"]

    def location(self, item):
        return reverse(item)


class WritingSitemap(Sitemap):
    """Each published version of a listed writer's writing at its own address (the
    original beside its translation, or a translation beside the original), with
    `hreflang` alternates between all of them and the writing's plain address as
    x-default. One query, whatever the number of writings."""

    def items(self):
        versions = list(WritingVersion.objects.listed().select_related("writing"))
        self.by_writing = defaultdict(list)
        for version in versions:
            self.by_writing[version.writing_id].append(version)
        return versions

    def location(self, version):
        return version.get_absolute_url()

    def lastmod(self, version):
        return max(version.updated_at, version.writing.updated_at)

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            version = url["item"]
            root = url["location"].removesuffix(version.get_absolute_url())
            alternates = [
                {"lang_code": other.language, "location": root + other.get_absolute_url()}
                for other in self.by_writing[version.writing_id]
            ]
            alternates.append(
                {"lang_code": "x-default", "location": root + version.writing.get_absolute_url()}
            )
            url["alternates"] = alternates
        return urls


class PageSitemap(Sitemap):
    def items(self):
        # The contact page's words are shown on the contact form (contact:form), which the
        # site's own section lists in every language.
        return list(Page.objects.published().exclude(slug="contact"))

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {
    "strands": StrandSitemap,
    "projects": ProjectSitemap,
    "writers": WriterSitemap,
    "writings": WritingListSitemap,
    "writing-versions": WritingSitemap,
    "pages": PageSitemap,
}
