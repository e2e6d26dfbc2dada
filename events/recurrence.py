"""Expanding an event's RFC 5545 rule into occurrences, in the programme's local time.

Rules are expanded on naive local wall-clock times and only then made aware, so a
Tuesday 16:00 workshop stays at 16:00 in Norwich across the October and March clock
changes (its UTC time moves by an hour, as it should).

Occurrences are materialised up to ``HORIZON_DAYS`` ahead of today (or of the first
date); the
``extend_event_occurrences`` management command moves that horizon forward and should
run daily (or at least monthly) from cron.
"""

import datetime
from collections.abc import Iterator

from dateutil.rrule import rrule, rrulestr
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

HORIZON_DAYS = 730  # two years of dates ahead of today
MAX_OCCURRENCES = 2000  # a safety net for rules such as FREQ=DAILY with no end


class RecurrenceError(ValueError):
    pass


def parse_rule(text: str, dtstart: datetime.datetime) -> rrule:
    """Parse an RRULE value (with or without the ``RRULE:`` prefix) for a naive local start."""
    value = text.strip().removeprefix("RRULE:").strip()
    if not value or "\n" in value or "DTSTART" in value.upper():
        raise RecurrenceError(_("Give one rule, such as FREQ=WEEKLY;COUNT=10."))
    try:
        rule = rrulestr(value, dtstart=dtstart, ignoretz=True)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(
            _("This is not a valid repeat rule (%(error)s).") % {"error": error}
        ) from None
    if not isinstance(rule, rrule):
        raise RecurrenceError(_("Give one rule, such as FREQ=WEEKLY;COUNT=10."))
    return rule


def _aware(naive: datetime.datetime) -> datetime.datetime:
    return naive.replace(tzinfo=timezone.get_default_timezone())


def expand(event, *, until: datetime.date | None = None) -> Iterator[tuple]:
    """Yield (start, end, is_cancelled) for each date of the event, up to `until`."""
    tz = timezone.get_default_timezone()
    local_start = timezone.localtime(event.start, tz).replace(tzinfo=None)
    local_end = timezone.localtime(event.end, tz).replace(tzinfo=None)
    duration = local_end - local_start
    cancelled = set(event.cancelled_dates or [])
    if not event.rrule:
        yield event.start, event.end, local_start.date() in cancelled
        return
    # Two years ahead of today, or of the first date for an event announced far ahead.
    until = until or (
        max(timezone.localdate(), local_start.date()) + datetime.timedelta(days=HORIZON_DAYS)
    )
    limit = datetime.datetime.combine(until, datetime.time.max)
    skipped = set(event.exdates or [])
    for count, naive in enumerate(parse_rule(event.rrule, local_start)):
        if naive > limit or count >= MAX_OCCURRENCES:
            break
        if naive.date() in skipped:
            continue
        yield _aware(naive), _aware(naive + duration), naive.date() in cancelled


@transaction.atomic
def regenerate_occurrences(event, *, until: datetime.date | None = None) -> int:
    """Replace the event's occurrences with a fresh expansion; return how many there are."""
    from events.models import Occurrence

    Occurrence.objects.filter(event=event).delete()
    rows = [
        Occurrence(event=event, start=start, end=end, is_cancelled=is_cancelled)
        for start, end, is_cancelled in expand(event, until=until)
    ]
    Occurrence.objects.bulk_create(rows)
    return len(rows)
