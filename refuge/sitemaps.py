"""sitemap.xml: the site's own pages, then every section the apps registered."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from core.sitemaps import SITEMAPS


class StaticViewSitemap(Sitemap):
    """The site's own pages, in every interface language, each listing the others
    (hreflang alternates, English as x-default). Staff-edited content stays English
    until it can be translated, so the apps' sections list one address per item."""

    changefreq = "weekly"
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [
            "home",
            "programme:strands",
            "programme:writers",
            "programme:supporters",
            "events:list",
            "volunteers:index",
            "contact:form",
        ]

    def location(self, item):
        return reverse(item)


def sitemaps() -> dict[str, type[Sitemap]]:
    return {"static": StaticViewSitemap, **SITEMAPS}
