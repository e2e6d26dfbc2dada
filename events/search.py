"""What the calendar makes searchable: published and cancelled events."""

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search import Searchable, title_falls_back
from core.translated import with_translated_text
from events.models import Event, EventStatus, Occurrence


def next_start():
    """An event's next date still to come and not called off (NULL when it has none),
    computed in the search's details query for the page's events: no query per row."""
    upcoming = (
        Occurrence.objects.filter(event=OuterRef("pk"), end__gte=timezone.now(), is_cancelled=False)
        .exclude(event__status=EventStatus.CANCELLED)
        .order_by("start")
        .values("start")[:1]
    )
    return Subquery(upcoming)


SEARCHABLES = [
    Searchable(
        kind="event",
        label=_("Event"),
        group_label=_("Events"),
        public=lambda: with_translated_text(Event.objects.published(), "title", "summary", "body"),
        title_field="shown_title",
        text_fields=("shown_summary",),
        html_fields=("shown_body",),
        url=lambda row: Event.address(row["slug"]),
        title_in_english=lambda: title_falls_back("title"),
        next_start=next_start,
    ),
]
