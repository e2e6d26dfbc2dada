"""One attendee's own calendar file: their date, their UID, the address only if entitled.

``METHOD:PUBLISH`` (served and attached with the matching MIME ``method``
parameter), a UID of its own per booking (so it never collides with the public
feed's event), and a SEQUENCE that grows with the event's revisions and the
booking's (a moved date, a released address), so calendars replace the old copy.
"""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone, translation

from events.ical import UID_DOMAIN

CONTENT_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def booking_uid(booking) -> str:
    return f"booking-{booking.public_id}@{UID_DOMAIN}"


def _times(component, event, start: datetime.datetime, end: datetime.datetime) -> None:
    if event.all_day:
        component.add("dtstart", timezone.localtime(start).date())
        component.add("dtend", timezone.localtime(end).date() + datetime.timedelta(days=1))
    else:
        component.add("dtstart", timezone.localtime(start))
        component.add("dtend", timezone.localtime(end))


def personal_calendar(*, booking, venue, manage_url: str) -> bytes:
    """The VCALENDAR for one booking. ``venue`` is what this attendee may see (or None).

    Written in the language the visitor booked in (``manage_url`` should be that
    language's address too: the caller builds it under the same override).
    """
    with translation.override(booking.email_language):
        return _personal_calendar(booking=booking, venue=venue, manage_url=manage_url)


def _personal_calendar(*, booking, venue, manage_url: str) -> bytes:
    occurrence = booking.occurrence
    event = occurrence.event
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL['NAME']}//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    year = timezone.localtime(occurrence.start).year
    calendar.add_component(
        icalendar.Timezone.from_tzid(
            settings.TIME_ZONE,
            first_date=datetime.date(year, 1, 1),
            last_date=datetime.date(year + 1, 1, 1),
        )
    )
    item = icalendar.Event()
    item.add("uid", booking_uid(booking))
    stamp = max(event.updated_at, booking.updated_at)
    item.add("dtstamp", stamp.astimezone(datetime.UTC))
    item.add("sequence", booking.calendar_sequence)
    item.add("summary", event.title)
    _times(item, event, occurrence.start, occurrence.end)
    if venue is not None:
        item.add("location", venue.one_line_address)
    elif event.public_location_text:
        item.add("location", event.public_location_text)
    lines = [event.summary] if event.summary else []
    lines.append(manage_url)
    item.add("description", "\n\n".join(lines))
    item.add("url", manage_url)
    item.add("status", "CANCELLED" if occurrence.cancelled else "CONFIRMED")
    calendar.add_component(item)
    return calendar.to_ical()
