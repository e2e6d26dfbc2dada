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
from dataclasses import dataclass, field

from dateutil.rrule import rrule, rrulestr
from django.db import models, transaction
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
    starts = []
    for count, naive in enumerate(parse_rule(event.rrule, local_start)):
        if naive > limit or count >= MAX_OCCURRENCES:
            break
        if naive.date() in skipped:
            continue
        starts.append(naive)
    # Extra dates (RDATE): one-off sessions beside the rule's, as long as the first one.
    # A skipped date skips the rule's session only, so an extra date may take its place.
    taken = set(starts)
    for extra in extra_starts(event):
        if extra not in taken and local_start <= extra <= limit:
            starts.append(extra)
            taken.add(extra)
    for naive in sorted(starts):
        yield _aware(naive), _aware(naive + duration), naive.date() in cancelled


def extra_starts(event) -> list[datetime.datetime]:
    """The event's extra dates as naive local wall-clock starts, soonest first (an all-day
    event's at midnight)."""
    tz = timezone.get_default_timezone()
    starts = []
    for moment in event.extra_dates or []:
        naive = timezone.localtime(moment, tz).replace(tzinfo=None)
        if event.all_day:
            naive = datetime.datetime.combine(naive.date(), datetime.time.min)
        starts.append(naive)
    return sorted(set(starts))


@dataclass
class OccurrenceChanges:
    """What `sync_occurrences` did to an event's dates, for the people who booked them."""

    rows: list = field(default_factory=list)  # the event's occurrences now, soonest first
    moved: list = field(default_factory=list)  # [(occurrence_id, old_start, old_end), ...]
    cancelled: list = field(default_factory=list)  # [occurrence_id, ...] newly cancelled
    dates: int = 0  # how many dates the rule gives up to the horizon


def _booked(ids: list[int]) -> set[int]:
    """The occurrences among `ids` that rows elsewhere protect from deletion (bookings).

    The calendar knows nothing of the apps above it: it asks every relation that points
    at Occurrence with PROTECT or RESTRICT whether it has rows, one query a relation."""
    from events.models import Occurrence

    if not ids:
        return set()
    protected = set()
    for relation in Occurrence._meta.related_objects:
        if relation.many_to_many or relation.on_delete not in (models.PROTECT, models.RESTRICT):
            continue
        rows = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": ids}
        ).values_list(relation.field.attname, flat=True)
        protected.update(rows.distinct())
    return protected


def _pair(old: list, wanted: list) -> tuple[list, list, list]:
    """Match stored rows to the rule's dates: (row, date) pairs, the rows left over, the
    dates that need a new row. See `sync_occurrences`."""
    tz = timezone.get_default_timezone()
    by_start = {row.start: row for row in old}
    pairs, unmatched = [], []
    for date in wanted:
        row = by_start.pop(date[0], None)
        if row is None:
            unmatched.append(date)
        else:
            pairs.append((row, date))
    # The same day at another time.
    by_day: dict[datetime.date, list] = {}
    for row in by_start.values():
        by_day.setdefault(timezone.localtime(row.start, tz).date(), []).append(row)
    dates_left = []
    for date in unmatched:
        rows = by_day.get(timezone.localtime(date[0], tz).date())
        if rows:
            row = rows.pop(0)
            del by_start[row.start]
            pairs.append((row, date))
        else:
            dates_left.append(date)
    # Then in order; a row already cancelled and no longer in the rule stays where it is.
    rows_left = sorted(by_start.values(), key=lambda row: (row.start, row.pk))
    pairable = [row for row in rows_left if not row.is_cancelled]
    for row, date in zip(pairable, dates_left, strict=False):
        pairs.append((row, date))
        rows_left.remove(row)
    return pairs, rows_left, dates_left[len(pairable) :]


@transaction.atomic
def sync_occurrences(event, *, until: datetime.date | None = None) -> OccurrenceChanges:
    """Bring the event's stored dates in line with its rule, keeping every row it can.

    Rows are never replaced, because bookings hang on them: a date whose start is
    unchanged keeps its row (its end and cancellation updated in place); the remaining
    rows are paired with the remaining dates, first a row with a date on the same day
    (a new time), then in order (a new weekday, a one-off moved); a row left over is
    deleted when nothing refers to it, and otherwise kept and marked cancelled, so the
    people who booked it can be told. The event's rows are locked meanwhile, so a
    booking made at the same moment waits for the new dates.
    """
    from events.models import Occurrence

    changes = OccurrenceChanges()
    old = list(Occurrence.objects.filter(event=event).select_for_update().order_by("start", "pk"))
    wanted = list(expand(event, until=until))
    changes.dates = len(wanted)

    pairs, rows_left, new_dates = _pair(old, wanted)

    changed = []
    for row, (start, end, is_cancelled) in pairs:
        if (row.start, row.end, row.is_cancelled) == (start, end, is_cancelled):
            continue
        if (row.start, row.end) != (start, end):
            changes.moved.append((row.pk, row.start, row.end))
        if is_cancelled and not row.is_cancelled:
            changes.cancelled.append(row.pk)
        row.start, row.end, row.is_cancelled = start, end, is_cancelled
        changed.append(row)
    if changed:
        Occurrence.objects.bulk_update(changed, ["start", "end", "is_cancelled"])

    booked = _booked([row.pk for row in rows_left])
    free = [row.pk for row in rows_left if row.pk not in booked]
    if free:
        Occurrence.objects.filter(pk__in=free).delete()
    kept = [row for row in rows_left if row.pk in booked]
    newly_cancelled = [row for row in kept if not row.is_cancelled]
    if newly_cancelled:
        Occurrence.objects.filter(pk__in=[row.pk for row in newly_cancelled]).update(
            is_cancelled=True
        )
        for row in newly_cancelled:
            row.is_cancelled = True
            changes.cancelled.append(row.pk)

    created = Occurrence.objects.bulk_create(
        [
            Occurrence(event=event, start=start, end=end, is_cancelled=is_cancelled)
            for start, end, is_cancelled in new_dates
        ]
    )
    changes.rows = sorted(
        [row for row, _date in pairs] + kept + created, key=lambda row: (row.start, row.pk)
    )
    return changes


def regenerate_occurrences(event, *, until: datetime.date | None = None) -> int:
    """Bring the event's occurrences up to date (see `sync_occurrences`); return how many
    dates its rule gives."""
    return sync_occurrences(event, until=until).dates


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
