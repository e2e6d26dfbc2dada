"""Admin home widgets for the calendar: the next dates, for staff who may see events."""

from django import template

from events.models import Occurrence

register = template.Library()


@register.simple_tag
def next_event_dates(user, limit=5):
    """The next dates in the calendar, drafts included, for staff who may edit events."""
    if not user.has_perm("events.view_event"):
        return None
    return list(Occurrence.objects.upcoming().select_related("event")[:limit])
