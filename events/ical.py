"""Events as iCalendar (RFC 5545), built with the ``icalendar`` library.

Each event becomes one VEVENT with a stable UID (its ``uid`` field), DTSTAMP (when it
was last revised, so the bytes are stable between requests), SEQUENCE, and RRULE/EXDATE
(and RDATE for its extra dates) for a repeating event; a cancelled date becomes an
override with STATUS:CANCELLED and its reason, and a
cancelled event is sent with STATUS:CANCELLED so subscribers' calendars update.
The address of a venue "announced on booking" never reaches a calendar.
"""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events.recurrence import extra_starts

UID_DOMAIN = "refuge-portal"


def event_uid(event) -> str:
    return f"{event.uid}@{UID_DOMAIN}"


def _set_times(component, event, start: datetime.datetime, end: datetime.datetime) -> None:
    if event.all_day:
        first = timezone.localtime(start).date()
        last = timezone.localtime(end).date()
        component.add("dtstart", first)
        component.add("dtend", last + datetime.timedelta(days=1))  # DTEND is exclusive
    else:
        component.add("dtstart", timezone.localtime(start))
        component.add("dtend", timezone.localtime(end))


def _recurrence_id(event, start: datetime.datetime):
    local = timezone.localtime(start)
    return local.date() if event.all_day else local


def _describe(event, absolute_url: str, *, date_reason: str = "") -> str:
    lines = [event.summary] if event.summary else []
    if event.is_cancelled and event.cancellation_reason:
        lines.append(event.cancellation_reason)
    elif date_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": date_reason})
    lines.append(absolute_url)
    return "\n\n".join(lines)


def date_reason(event, start: datetime.datetime) -> str:
    """Why this date of the series is cancelled, as staff wrote it ("" when not given)."""
    return (event.cancelled_reasons or {}).get(f"{timezone.localtime(start):%Y-%m-%d}", "")


def occurrence_uid(occurrence) -> str:
    """The UID of one date's own calendar file.

    Not the series' UID: a calendar that subscribes to the feed (where the series is one
    VEVENT with that UID and an RRULE) and imports this file as well would otherwise take
    the file for the whole series, or for a RECURRENCE-ID override of it, and drop or
    replace the other dates. A UID of its own, made of the series' UID and the local date,
    is stable for that date (downloading it again updates the same entry, with the
    series' SEQUENCE) and never clashes with the series or with another date."""
    day = timezone.localtime(occurrence.start)
    return f"{occurrence.event.uid}-{day:%Y%m%d}@{UID_DOMAIN}"


def event_components(event, *, absolute_url: str, cancelled_starts: Iterable = ()) -> list:
    """The VEVENT for an event, plus one cancelled override per cancelled date."""
    main = icalendar.Event()
    main.add("uid", event_uid(event))
    main.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    main.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    main.add("created", event.created_at.astimezone(datetime.UTC))
    main.add("sequence", event.sequence)
    main.add("summary", event.title)
    _set_times(main, event, event.start, event.end)
    main.add("description", _describe(event, absolute_url))
    main.add("url", absolute_url)
    location = event.public_location_text
    if location:
        main.add("location", location)
    main.add("categories", [event.get_event_type_display()])
    main.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    components = [main]
    if event.rrule:
        main.add("rrule", icalendar.vRecur.from_ical(event.rrule.removeprefix("RRULE:")))
        tz = timezone.get_default_timezone()
        local_start = timezone.localtime(event.start, tz)
        extras = [
            naive.date() if event.all_day else naive.replace(tzinfo=tz)
            for naive in extra_starts(event)
        ]
        for day in sorted(event.exdates):
            skipped = (
                day
                if event.all_day
                else datetime.datetime.combine(day, local_start.time(), tzinfo=tz)
            )
            # EXDATE wins over RDATE (RFC 5545 3.8.5.1): an extra date on a skipped day at
            # the series' time must not be excluded with it.
            if skipped not in extras:
                main.add("exdate", skipped)
        if extras:
            main.add("rdate", extras)
        for start, end in cancelled_starts:
            override = icalendar.Event()
            override.add("uid", event_uid(event))
            override.add("recurrence-id", _recurrence_id(event, start))
            override.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
            override.add("sequence", event.sequence)
            override.add("summary", event.title)
            _set_times(override, event, start, end)
            override.add(
                "description",
                _describe(event, absolute_url, date_reason=date_reason(event, start)),
            )
            override.add("status", "CANCELLED")
            components.append(override)
    return components


def occurrence_component(occurrence, *, absolute_url: str):
    """One date of an event as a VEVENT of its own (see `occurrence_uid`)."""
    event = occurrence.event
    component = icalendar.Event()
    component.add("uid", occurrence_uid(occurrence))
    component.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    component.add("created", event.created_at.astimezone(datetime.UTC))
    component.add("sequence", event.sequence)
    component.add("summary", event.title)
    _set_times(component, event, occurrence.start, occurrence.end)
    reason = "" if event.is_cancelled or not occurrence.is_cancelled else (
        date_reason(event, occurrence.start) or str(_("This date is cancelled."))
    )  # fmt: skip
    component.add("description", _describe(event, absolute_url, date_reason=reason))
    component.add("url", absolute_url)
    location = event.public_location_text
    if location:
        component.add("location", location)
    component.add("categories", [event.get_event_type_display()])
    component.add("status", "CANCELLED" if occurrence.cancelled else "CONFIRMED")
    return component


def _calendar(*, name: str, first_year: int | None, refreshed: bool = True) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL['NAME']}//Calendar of Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    if refreshed:  # a feed to subscribe to; one date's file is imported once
        calendar.add(
            "refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"}
        )
    today = timezone.localdate()
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=datetime.date(min(first_year or today.year, today.year), 1, 1),
            last_date=datetime.date(today.year + 4, 1, 1),
        )
    )
    return calendar


def build_calendar(events, *, name: str, absolute_url_for, cancelled_by_event=None) -> bytes:
    """A VCALENDAR of `events` with a VTIMEZONE for the programme's time zone."""
    cancelled_by_event = cancelled_by_event or {}
    events = list(events)
    first_year = min((timezone.localtime(e.start).year for e in events), default=None)
    calendar = _calendar(name=name, first_year=first_year)
    for event in events:
        for component in event_components(
            event,
            absolute_url=absolute_url_for(event),
            cancelled_starts=cancelled_by_event.get(event.pk, ()),
        ):
            calendar.add_component(component)
    return calendar.to_ical()


def build_occurrence_calendar(occurrence, *, absolute_url: str) -> bytes:
    """A VCALENDAR with one VEVENT: the one date, for "add this date to my calendar"."""
    name = f"{occurrence.event.title}, {timezone.localtime(occurrence.start):%d/%m/%Y}"
    calendar = _calendar(
        name=name, first_year=timezone.localtime(occurrence.start).year, refreshed=False
    )
    calendar.add_component(occurrence_component(occurrence, absolute_url=absolute_url))
    return calendar.to_ical()
