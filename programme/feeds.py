"""An RSS feed of new writings (Django's syndication framework), issue 16.

Only listed writers' published writings: never an unlisted, hidden or unconsented
writer's. Each item says what the writing is and in which languages; the texts
themselves stay on the site, beside their rights notes.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.db.models.functions import Coalesce
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programme.models import Writing, WritingVersion

FEED_LENGTH = 30


class LatestWritingsFeed(Feed):
    link = reverse_lazy("programme:writings")
    description = gettext_lazy(
        "New writings by the writers we host, in their own languages and in translation."
    )

    def title(self):
        return _("%(name)s: Writings") % {"name": settings.PORTAL["NAME"]}

    def items(self):
        versions = Prefetch(
            "versions", queryset=WritingVersion.objects.published(), to_attr="shown_versions"
        )
        return (
            Writing.objects.listed()
            .select_related("writer")
            .prefetch_related(versions)
            .order_by(Coalesce("publish_from", "created_at").desc(), "-pk")[:FEED_LENGTH]
        )

    def item_title(self, writing):
        return _("%(title)s, by %(writer)s") % {
            "title": writing.title,
            "writer": writing.writer.name,
        }

    def item_description(self, writing):
        languages = ", ".join(version.language_name for version in writing.shown_versions)
        return _("%(kind)s by %(writer)s. Read it in: %(languages)s.") % {
            "kind": writing.get_kind_display(),
            "writer": writing.writer.name,
            "languages": languages,
        }

    def item_link(self, writing):
        return writing.get_absolute_url()

    def item_pubdate(self, writing):
        return writing.publish_from or writing.created_at

    def item_updateddate(self, writing):
        return writing.updated_at

    def item_author_name(self, writing):
        return writing.writer.name

    def item_categories(self, writing):
        return [writing.get_kind_display()]
