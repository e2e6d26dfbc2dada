"""sitemap.xml: the site's own pages, then every section the apps registered."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from core.sitemaps import SITEMAPS


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


def sitemaps() -> dict[str, type[Sitemap]]:
    return {"static": StaticViewSitemap, **SITEMAPS}
