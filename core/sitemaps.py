"""sitemap.xml as a registry: each app adds its sections in its AppConfig.ready().

Each section's items are read into a list, so its paginator counts them without a
COUNT query: the whole sitemap is one query per section, whatever its size.
"""

from django.contrib.sitemaps import Sitemap

SITEMAPS: dict[str, type[Sitemap]] = {}


def register(sections: dict[str, type[Sitemap]]) -> None:
    """Add an app's sections (name -> Sitemap class), in INSTALLED_APPS order."""
    for name, section in sections.items():
        SITEMAPS.setdefault(name, section)
