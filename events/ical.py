"""Events as iCalendar (RFC 5545), built with the ``icalendar`` library.

Each event becomes one VEVENT with a stable UID (its ``uid`` field), DTSTAMP (when it
was last revised, so the bytes are stable between requests), SEQUENCE, and RRULE/EXDATE
for a repeating event; a cancelled date becomes an override with STATUS:CANCELLED, and a
cancelled event is sent with STATUS:CANCELLED so subscribers' calendars update.
The address of a venue "announced on booking" never reaches a calendar.
"""

import datetime
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

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


def _describe(event, absolute_url: str) -> str:
    lines = [event.summary] if event.summary else []
    if event.is_cancelled and event.cancellation_reason:
        lines.append(event.cancellation_reason)
    lines.append(absolute_url)
    return "\n\n".join(lines)


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
        local_start = timezone.localtime(event.start)
        for day in sorted(event.exdates):
            if event.all_day:
                main.add("exdate", day)
            else:
                main.add("exdate", datetime.datetime.combine(day, local_start.timetz()))
        for start, end in cancelled_starts:
            override = icalendar.Event()
            override.add("uid", event_uid(event))
            override.add("recurrence-id", _recurrence_id(event, start))
            override.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
            override.add("sequence", event.sequence)
            override.add("summary", event.title)
            _set_times(override, event, start, end)
            override.add("status", "CANCELLED")
            components.append(override)
    return components


def build_calendar(events, *, name: str, absolute_url_for, cancelled_by_event=None) -> bytes:
    """A VCALENDAR of `events` with a VTIMEZONE for the programme's time zone."""
    cancelled_by_event = cancelled_by_event or {}
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL['NAME']}//Calendar of Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", datetime.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    events = list(events)
    first_year = min((timezone.localtime(e.start).year for e in events), default=None)
    today = timezone.localdate()
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=datetime.date(min(first_year or today.year, today.year), 1, 1),
            last_date=datetime.date(today.year + 4, 1, 1),
        )
    )
    for event in events:
        for component in event_components(
            event,
            absolute_url=absolute_url_for(event),
            cancelled_starts=cancelled_by_event.get(event.pk, ()),
        ):
            calendar.add_component(component)
    return calendar.to_ical()
