"""Changes to events that staff make from the admin, as named functions."""

import datetime
import re
import uuid

from django.db import transaction
from django.utils.text import slugify

from events.models import Event, EventStatus


def event_cancel(*, event: Event, reason: str) -> Event:
    """Cancel the whole event: it stays listed as cancelled and calendars are told."""
    event.status = EventStatus.CANCELLED
    event.cancellation_reason = reason.strip()
    event.save()
    return event


def _free_slug(base: str) -> str:
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def shift_until(rule: str, shift: datetime.timedelta) -> str:
    """The rule with its last date (UNTIL) moved by `shift`, so a copy keeps its sessions."""

    def moved(match: re.Match) -> str:
        day = datetime.datetime.strptime(match.group(1), "%Y%m%d").date() + shift  # noqa: DTZ007 (a date)
        return f"UNTIL={day:%Y%m%d}"

    return re.sub(r"UNTIL=(\d{8})", moved, rule)


@transaction.atomic
def event_duplicate(*, event: Event, shift: datetime.timedelta) -> Event:
    """A draft copy of `event`, moved by `shift`, with its own calendar identity."""
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy._state.adding = True
    copy.uid = uuid.uuid4()
    copy.sequence = 0
    copy.slug = _free_slug(slugify(f"{event.slug}-{(event.start + shift):%Y-%m-%d}",
                                   allow_unicode=True))  # fmt: skip
    copy.start = event.start + shift
    copy.end = event.end + shift
    copy.exdates = [day + shift for day in event.exdates]
    copy.cancelled_dates = []
    copy.cancelled_reasons = {}
    copy.rrule = shift_until(event.rrule, shift)
    copy.status = EventStatus.DRAFT
    copy.cancellation_reason = ""
    copy.publish_from = None
    copy.save()
    return copy
