"""The event page reads its event and dates by queries compiled once
(``events.models.event_at``, ``dates_of``): what the public may reach and what staff
preview, as the querysets they stand for decide, the event's strand, project and venue
read with it."""

import datetime

import pytest
from django.utils import timezone

from events.models import Event, EventStatus, dates_of, event_at
from tests.events.factories import EventFactory, soon
from tests.programme.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_event_is_found_as_the_public_and_staff_reach_it():
    EventFactory(slug="on")
    EventFactory(slug="off", status=EventStatus.CANCELLED, cancellation_reason="Flood")
    EventFactory(slug="draft", status=EventStatus.DRAFT)
    EventFactory(slug="soon", publish_from=timezone.now() + datetime.timedelta(hours=1))
    for slug in ("on", "off", "draft", "soon", "none"):
        public = Event.objects.public().filter(slug=slug).first()
        assert event_at(slug) == public, slug
        assert event_at(slug, preview=True) == Event.objects.filter(slug=slug).first(), slug
    assert event_at("draft") is None
    assert event_at("draft", preview=True).slug == "draft"


def test_the_event_s_strand_project_and_venue_come_in_its_one_query(
    django_assert_num_queries,
):
    project = ProjectFactory()
    EventFactory(slug="workshop", project=project, strand=project.strand)
    EventFactory(slug="online", venue=None, location="online")
    with django_assert_num_queries(1):
        event = event_at("workshop")
        assert event.project.get_absolute_url() == project.get_absolute_url()
        assert event.strand.title == project.strand.title
        assert event.venue.name.startswith("Hall")
    with django_assert_num_queries(1):
        assert event_at("online").venue is None


def test_an_event_s_dates_are_the_ones_its_queryset_reads():
    # Weekly from 15 days ago: three dates gone, two to come, none today (whatever the hour).
    event = EventFactory(start=soon(-15), rrule="FREQ=WEEKLY;COUNT=5")
    occurrences = event.occurrences.all()
    upcoming, past = occurrences.upcoming(), occurrences.past()
    assert [d.pk for d in dates_of(event.pk, upcoming=True)] == [d.pk for d in upcoming]
    assert [d.pk for d in dates_of(event.pk, past=True)] == [d.pk for d in past]
    assert len(upcoming) == 2
    assert len(past) == 3
    first = upcoming[0]
    assert [d.pk for d in dates_of(event.pk, upcoming=True, other_than=first.pk)] == [
        d.pk for d in upcoming[1:]
    ]
    for day in (first.local_start.date(), soon(1).date()):
        assert [d.pk for d in dates_of(event.pk, day=day)] == [
            d.pk for d in occurrences.on_day(day)
        ]
    assert list(dates_of(EventFactory().pk + 1, upcoming=True)) == []
