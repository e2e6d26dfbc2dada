"""What the calendar makes searchable: published and cancelled events."""

from django.utils.translation import gettext_lazy as _

from core.search import Searchable
from events.models import Event

SEARCHABLES = [
    Searchable(
        kind="event",
        label=_("Event"),
        public=Event.objects.published,
        title_field="title",
        text_fields=("summary",),
        html_fields=("body",),
        url=lambda row: Event(slug=row["slug"]).get_absolute_url(),
    ),
]
