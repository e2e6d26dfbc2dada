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


# ---------------------------------------------------------------- the repeat editor
# Staff choose a repeat in plain words (events.admin_forms); these functions write the
# rule behind it and read it back. Stored rules end on a date (UNTIL): "after ten
# sessions" is turned into the date of the tenth session held or cancelled, so the
# rule, its skipped dates and every subscriber's calendar agree on the same dates.

REPEATS_WEEKLY = "weekly"
REPEATS_FORTNIGHTLY = "fortnightly"
REPEATS_MONTHLY_WEEKDAY = "monthly-weekday"
REPEATS_MONTHLY_DATE = "monthly-date"
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_EDITOR_DATES = 200  # the most dates the editor lists and counts


def nth_weekday(day: datetime.date) -> int:
    """1 for the first Saturday of a month … 4 for the fourth; -1 for a fifth (the last)."""
    number = (day.day - 1) // 7 + 1
    return -1 if number == 5 else number  # a fifth weekday is the last


def build_rule(
    *,
    repeats: str,
    start: datetime.date,
    weekdays: list[int] | None = None,
    until: datetime.date | None = None,
) -> str:
    """The RRULE for a repeat chosen in words; weekdays are 0 (Monday) … 6 (Sunday)."""
    days = sorted(set(weekdays or [])) or [start.weekday()]
    if repeats in (REPEATS_WEEKLY, REPEATS_FORTNIGHTLY):
        parts = ["FREQ=WEEKLY"]
        if repeats == REPEATS_FORTNIGHTLY:
            parts.append("INTERVAL=2")
        parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[day] for day in days))
    elif repeats == REPEATS_MONTHLY_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY={nth_weekday(start)}{WEEKDAY_CODES[start.weekday()]}"]
    elif repeats == REPEATS_MONTHLY_DATE:
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]
    else:
        raise RecurrenceError(_("Choose how the event repeats."))
    if until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def read_rule(text: str) -> dict | None:
    """The editor's choices for a stored rule, or None when the words cannot say it."""
    parts = dict(
        part.split("=", 1) for part in text.strip().removeprefix("RRULE:").split(";") if "=" in part
    )
    freq, interval = parts.pop("FREQ", ""), parts.pop("INTERVAL", "1")
    until = parts.pop("UNTIL", None)
    count = parts.pop("COUNT", None)
    byday = parts.pop("BYDAY", "")
    bymonthday = parts.pop("BYMONTHDAY", None)
    parts.pop("WKST", None)
    if parts or count or interval not in ("1", "2"):
        return None
    choices: dict = {"weekdays": []}
    if freq == "WEEKLY" and not bymonthday:
        codes = [code for code in byday.split(",") if code]
        if any(code not in WEEKDAY_CODES for code in codes):
            return None
        choices["repeats"] = REPEATS_WEEKLY if interval == "1" else REPEATS_FORTNIGHTLY
        choices["weekdays"] = [WEEKDAY_CODES.index(code) for code in codes]
    elif freq == "MONTHLY" and interval == "1" and byday and not bymonthday and "," not in byday:
        choices["repeats"] = REPEATS_MONTHLY_WEEKDAY
    elif freq == "MONTHLY" and interval == "1" and not byday:
        choices["repeats"] = REPEATS_MONTHLY_DATE
    else:
        return None
    if until:
        choices["until"] = datetime.date(int(until[:4]), int(until[4:6]), int(until[6:8]))
    return choices


def rule_dates(text: str, first: datetime.datetime, *, limit: int = MAX_EDITOR_DATES):
    """The dates a rule gives, before any are skipped: at most `limit` of them."""
    dates = []
    for naive in parse_rule(text, first):
        if len(dates) >= limit:
            break
        dates.append(naive.date())
    return dates


def last_of_sessions(
    text: str, first: datetime.datetime, *, sessions: int, skipped: set
) -> datetime.date | None:
    """The date of the `sessions`-th date that is not skipped (cancelled dates count)."""
    held = 0
    for count, naive in enumerate(parse_rule(text, first)):
        if count >= MAX_EDITOR_DATES * 5:
            return None
        if naive.date() in skipped:
            continue
        held += 1
        if held == sessions:
            return naive.date()
    return None
