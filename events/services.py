"""Changes to events that staff make from the admin, as named functions."""

import datetime
import re
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events import recurrence
from events.models import Event, EventStatus, SchoolHoliday


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


def holiday_days() -> set[datetime.date]:
    """Every day of every school holiday on the list (a few hundred days: one query)."""
    days = set()
    for first, last in SchoolHoliday.objects.values_list("first_day", "last_day"):
        day = first
        while day <= last:
            days.add(day)
            day += datetime.timedelta(days=1)
    return days


def _replanned(event: Event, *, before: set, now: set, today: datetime.date):
    """(rule, skipped dates) for a term-time series with the holidays `now` instead of
    `before`; dates before `today` are left as they were (what happened, happened)."""
    first = timezone.localtime(event.start).replace(tzinfo=None)
    old = set(event.exdates or [])
    past = {day for day in old if day < today}
    staff = {day for day in old if day >= today} - before  # skips staff chose themselves
    future_holidays = {day for day in now if day >= today}
    rule = event.rrule
    choices = recurrence.read_rule(rule) if event.repeat_sessions else None
    if choices is not None:
        # "After ten sessions": the tenth session moves when a holiday comes or goes.
        open_rule = recurrence.build_rule(
            repeats=choices["repeats"], start=first.date(), weekdays=choices["weekdays"]
        )
        last = recurrence.last_of_sessions(
            open_rule,
            first,
            sessions=event.repeat_sessions,
            skipped=past | staff | future_holidays,
        )
        if last is not None:
            rule = recurrence.build_rule(
                repeats=choices["repeats"],
                start=first.date(),
                weekdays=choices["weekdays"],
                until=last,
            )
    dates = set(recurrence.rule_dates(rule, first, limit=recurrence.MAX_OCCURRENCES))
    return rule, sorted(past | staff | (future_holidays & dates))


def replan_term_time_series(*, holidays_before: set[datetime.date]) -> list[Event]:
    """After staff add, change or delete a school holiday: every "term time only" series
    skips the holidays on the list now, through the same path as a save (``Event.save``:
    ``sync_occurrences`` keeps the rows people booked, marks a dropped date that has
    bookings cancelled, and ``occurrences_changed`` tells bookings). `holidays_before` is
    ``holiday_days()`` before the change, to tell the holidays' skips from staff's own.

    Returns the series whose dates changed."""
    now = holiday_days()
    today = timezone.localdate()
    changed = []
    with transaction.atomic():
        series = (
            Event.objects.filter(term_time_only=True)
            .exclude(rrule="")
            .select_for_update()
            .order_by("pk")
        )
        for event in series:
            try:
                rule, exdates = _replanned(event, before=holidays_before, now=now, today=today)
            except recurrence.RecurrenceError:
                continue  # a rule that no longer parses is staff's to mend, in the form
            if (rule, exdates) == (event.rrule, sorted(event.exdates or [])):
                continue
            event.rrule, event.exdates = rule, exdates
            event.save(update_fields=["rrule", "exdates"])
            changed.append(event)
    return changed
