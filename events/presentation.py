"""How an occurrence presents itself to other software: calendar links and schema.org.

Everything here goes through ``Event.public_location_text`` / ``public_venue``, so the
address of a venue "announced on booking" never reaches a link or the JSON-LD.
"""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

OPENSTREETMAP_SEARCH = "https://www.openstreetmap.org/search"
GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_CALENDAR = "https://outlook.live.com/calendar/0/deeplink/compose"
CURRENCY = "GBP"


def getting_there(event) -> dict | None:
    """What the event page's "Getting there" block shows, for an event at a public venue
    only: never for an online event or a venue announced on booking (``public_venue``).

    The map is a plain link to an OpenStreetMap search for the address: no embedded map,
    nothing fetched from another site when the page loads."""
    venue = event.public_venue
    if venue is None:
        return None
    address = [line.strip() for line in venue.address.splitlines() if line.strip()]
    query = ", ".join([*address, venue.postcode.strip()] if venue.postcode.strip() else address)
    return {
        "venue": venue,
        "map_url": f"{OPENSTREETMAP_SEARCH}?{urlencode({'query': query})}" if query else "",
    }


def _details(event, absolute_url: str) -> str:
    return "\n\n".join(part for part in (event.summary, absolute_url) if part)


def google_calendar_url(occurrence, absolute_url: str) -> str:
    event = occurrence.event
    if event.all_day:
        first = occurrence.local_start.date()
        after = occurrence.local_end.date() + datetime.timedelta(days=1)
        dates = f"{first:%Y%m%d}/{after:%Y%m%d}"
    else:
        utc = datetime.UTC
        dates = (
            f"{occurrence.start.astimezone(utc):%Y%m%dT%H%M%SZ}/"
            f"{occurrence.end.astimezone(utc):%Y%m%dT%H%M%SZ}"
        )
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": dates,
        "details": _details(event, absolute_url),
        "location": event.public_location_text,
        "ctz": settings.TIME_ZONE,
    }
    return f"{GOOGLE_CALENDAR}?{urlencode(query)}"


def outlook_url(occurrence, absolute_url: str) -> str:
    event = occurrence.event
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "body": _details(event, absolute_url),
        "location": event.public_location_text,
    }
    if event.all_day:
        after = occurrence.local_end.date() + datetime.timedelta(days=1)
        query |= {
            "startdt": occurrence.local_start.date().isoformat(),
            "enddt": after.isoformat(),
            "allday": "true",
        }
    else:
        query |= {
            "startdt": occurrence.start.astimezone(datetime.UTC).isoformat(),
            "enddt": occurrence.end.astimezone(datetime.UTC).isoformat(),
        }
    return f"{OUTLOOK_CALENDAR}?{urlencode(query)}"


def _schema(name: str) -> str:
    return f"https://schema.org/{name}"


def event_json_ld(
    occurrence, *, absolute_url: str, image_url: str | None = None, booking_url: str | None = None
) -> dict:
    """schema.org Event for one occurrence, as a dict for ``json.dumps``.

    `booking_url` is this date's booking page, for an event booked on this site: the
    offer points there (free, so a price of 0), never at a place or how many are left."""
    event = occurrence.event
    if event.all_day:
        start = occurrence.local_start.date().isoformat()
        end = occurrence.local_end.date().isoformat()
    else:
        start = timezone.localtime(occurrence.start).isoformat()
        end = timezone.localtime(occurrence.end).isoformat()
    online = event.location == "online"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "url": absolute_url,
        "startDate": start,
        "endDate": end,
        "eventStatus": _schema("EventCancelled" if occurrence.cancelled else "EventScheduled"),
        "eventAttendanceMode": _schema(
            "OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"
        ),
        "organizer": {
            "@type": "Organization",
            "name": settings.PORTAL["NAME"],
            **({"url": settings.PORTAL["SITE_URL"]} if settings.PORTAL["SITE_URL"] else {}),
        },
        "isAccessibleForFree": event.is_free,
    }
    if event.summary:
        data["description"] = event.summary
    if image_url:
        data["image"] = [image_url]
    venue = event.public_venue
    if online:
        # The page, not the meeting link: the link is for people who come.
        data["location"] = {"@type": "VirtualLocation", "url": absolute_url}
    elif venue is not None:
        data["location"] = {
            "@type": "Place",
            "name": venue.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(
                    line.strip() for line in venue.address.splitlines() if line.strip()
                ),
                "postalCode": venue.postcode,
                "addressCountry": "GB",
            },
        }
    else:
        data["location"] = {"@type": "Place", "name": event.public_location_text}
    if event.is_booked_here:
        offer = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": CURRENCY,
            "url": booking_url or absolute_url,
        }
        if event.booking_opens_at:
            offer["validFrom"] = timezone.localtime(event.booking_opens_at).isoformat()
    else:
        offer = {
            "@type": "Offer",
            "price": "0" if event.is_free else f"{event.price:.2f}",
            "priceCurrency": CURRENCY,
            "url": (event.booking_url if event.is_booked_elsewhere else "") or absolute_url,
        }
    data["offers"] = offer
    return data
