import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import (
    BookingMode,
    Event,
    EventStatus,
    LocationMode,
    Occurrence,
    SchoolHoliday,
    Venue,
)

pytestmark = pytest.mark.django_db


def test_demo_term_is_relative_to_today_and_idempotent():
    call_command("load_demo", stdout=io.StringIO())
    counts = (Event.objects.count(), Venue.objects.count(), Occurrence.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Event.objects.count(), Venue.objects.count(), Occurrence.objects.count()) == counts
    now = timezone.now()
    assert Occurrence.objects.published().upcoming(now=now).count() >= 10
    assert Occurrence.objects.published().past(now=now).count() >= 3
    workshops = Event.objects.get(slug="strangers-and-canaries-workshops")
    assert workshops.rrule
    assert workshops.term_time_only
    holidays = SchoolHoliday.objects.all()
    for occurrence in workshops.occurrences.all():
        day = occurrence.local_start.date()
        assert not any(h.first_day <= day <= h.last_day for h in holidays), day
    assert workshops.occurrences.filter(is_cancelled=True).count() == 1
    assert Event.objects.filter(status=EventStatus.CANCELLED).count() == 1
    reading = Event.objects.get(location=LocationMode.ON_BOOKING)
    assert reading.booking == BookingMode.PORTAL
    assert reading.is_free
    reading_group = Event.objects.get(slug="library-project-reading-group")
    assert all(
        o.local_start.weekday() == 5 and o.local_start.day <= 7
        for o in reading_group.occurrences.all()
    )
    refugee_week = Event.objects.get(slug="refugee-week-film-poems")
    assert refugee_week.local_start.month == 6
    assert Event.objects.filter(all_day=True, event_type="competition-deadline").exists()


def test_extend_event_occurrences_regenerates_repeating_events():
    call_command("load_demo", stdout=io.StringIO())
    Occurrence.objects.filter(event__slug="strangers-and-canaries-workshops").delete()
    out = io.StringIO()
    call_command("extend_event_occurrences", stdout=out)
    assert "repeating events now have" in out.getvalue()
    regenerated = Occurrence.objects.filter(event__slug="strangers-and-canaries-workshops")
    assert regenerated.count() == 12  # twelve sessions, the school holidays skipped
