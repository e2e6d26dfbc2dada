"""Every public page, over the demo content grown by any amount, for the performance tests."""

import datetime

from django.utils import timezone

from events.models import Event
from programme.models import Strand, WriterVisibility
from tests.events.factories import EventFactory, VenueFactory, soon
from tests.programme.factories import PartnerFactory, ProjectFactory, WriterFactory
from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory

STRAND = "community-programme"
PROJECT = "strangers-and-canaries"
WRITER = "jiao-guobiao"
WEEKLY = "strangers-and-canaries-workshops"


def grow(n: int) -> None:
    """Add about `n` of everything a public page lists (over the demo content)."""
    strand = Strand.objects.get(slug=STRAND)
    venue = VenueFactory()
    for i in range(n):
        EventFactory(
            strand=strand,
            venue=venue,
            start=soon(i % 30 - 10),
            rrule="FREQ=WEEKLY;COUNT=6" if i % 4 == 0 else "",
            audiences=["young-people", "adults"],
        )
    # Writers of every visibility; only the public ones may be listed.
    for i in range(n):
        WriterFactory(
            strand=strand,
            visibility=[
                WriterVisibility.PUBLIC,
                WriterVisibility.UNLISTED,
                WriterVisibility.HIDDEN,
            ][i % 3],
            residency_start=datetime.date(2010 + i % 15, 1, 1),
        )
    for _ in range(n):
        project = ProjectFactory(strand=strand)
        project.partners.set(PartnerFactory.create_batch(2))
    VolunteerRoleFactory.create_batch(n, strand=strand)
    VolunteerApplicationFactory.create_batch(n)


def public_paths() -> list[str]:
    """Every kind of public page, as a visitor or a feed reader asks for it."""
    today = timezone.localdate()
    weekly = Event.objects.get(slug=WEEKLY)
    return [
        "/",
        "/programme/",
        f"/programme/{STRAND}/",
        f"/programme/{STRAND}/{PROJECT}/",
        "/writers/",
        f"/writers/{WRITER}/",
        "/supporters/",
        "/about/",
        "/events/",
        f"/events/?strand={STRAND}&audience=young-people&type=workshop&free=on",
        "/events/?when=this-month&audience=young-people",
        f"/events/?start={today:%Y-%m-%d}&end={today + datetime.timedelta(days=365):%Y-%m-%d}",
        f"/events/calendar/{today.year}/{today.month}/",
        f"/events/calendar/{today.year}/{today.month}/?strand={STRAND}&free=on",
        f"/events/calendar/{today.year}/{today.month}/{today.day}/",
        weekly.get_absolute_url(),
        f"{weekly.get_absolute_url()}?on={weekly.occurrences.first().local_start:%Y-%m-%d}",
        "/events/past/",
        "/search/?q=refuge+writers",
        "/events/feed.ics",
        f"/events/feed/{STRAND}.ics",
        f"/events/{WEEKLY}.ics",
        "/events/rss/",
        "/events/atom/",
        "/events/subscribe/",
        "/sitemap.xml",
        "/volunteer/",
        "/volunteer/apply/",
        "/robots.txt",
    ]
