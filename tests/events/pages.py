"""The calendar's public pages over the demo term, for the browser and HTML checks."""

import datetime

from django.utils import timezone


def event_paths() -> list[str]:
    today = timezone.localdate()
    reading = today + datetime.timedelta(days=10)  # the demo reading's date
    return [
        "/events/",
        f"/events/calendar/{today.year}/{today.month}/",
        f"/events/calendar/{reading.year}/{reading.month}/{reading.day}/",
        "/events/strangers-and-canaries-workshops/",
        "/events/reading-by-the-writer-in-residence/",
        "/events/refugee-week-film-poems/",
        "/events/past/",
    ]
