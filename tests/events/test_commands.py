import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event, EventStatus, LocationMode, Occurrence, Venue

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
    assert len(workshops.exdates) == 1
    assert workshops.occurrences.filter(is_cancelled=True).count() == 1
    assert Event.objects.filter(status=EventStatus.CANCELLED).count() == 1
    assert Event.objects.filter(location=LocationMode.ON_BOOKING).count() == 1
    assert Event.objects.filter(all_day=True, event_type="competition-deadline").exists()


def test_extend_event_occurrences_regenerates_repeating_events():
    call_command("load_demo", stdout=io.StringIO())
    Occurrence.objects.filter(event__slug="strangers-and-canaries-workshops").delete()
    out = io.StringIO()
    call_command("extend_event_occurrences", stdout=out)
    assert "repeating events now have" in out.getvalue()
    assert Occurrence.objects.filter(event__slug="strangers-and-canaries-workshops").count() == 11
