"""What the calendar makes searchable: published and cancelled events."""

from django.utils.translation import gettext_lazy as _

from core.search import Searchable
from core.translated import with_translated_text
from events.models import Event

SEARCHABLES = [
    Searchable(
        kind="event",
        label=_("Event"),
        public=lambda: with_translated_text(Event.objects.published(), "title", "summary", "body"),
        title_field="shown_title",
        text_fields=("shown_summary",),
        html_fields=("shown_body",),
        url=lambda row: Event(slug=row["slug"]).get_absolute_url(),
    ),
]
