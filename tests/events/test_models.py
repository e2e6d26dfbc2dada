import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event, EventStatus, LocationMode, Occurrence
from events.recurrence import regenerate_occurrences
from tests.events.factories import EventFactory, local, soon

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def starts(event):
    return [o.start for o in event.occurrences.order_by("start")]


def test_weekly_rule_keeps_wall_clock_time_across_the_october_clock_change():
    # Tuesdays 16:00 in Norwich; the clocks go back on Sunday 25 October 2026.
    event = EventFactory(
        start=local(2026, 10, 13, 16), end=local(2026, 10, 13, 17, 30), rrule="FREQ=WEEKLY;COUNT=3"
    )
    local_times = [timezone.localtime(s).strftime("%Y-%m-%d %H:%M") for s in starts(event)]
    assert local_times == ["2026-10-13 16:00", "2026-10-20 16:00", "2026-10-27 16:00"]
    utc = [s.astimezone(UTC).hour for s in starts(event)]
    assert utc == [15, 15, 16]  # BST (UTC+1), BST, then GMT
    last = event.occurrences.order_by("start").last()
    assert last.end - last.start == datetime.timedelta(hours=1, minutes=30)


def test_weekly_rule_keeps_wall_clock_time_across_the_march_clock_change():
    # The clocks go forward on Sunday 29 March 2026.
    event = EventFactory(
        start=local(2026, 3, 24, 16), end=local(2026, 3, 24, 17), rrule="FREQ=WEEKLY;COUNT=2"
    )
    assert [s.astimezone(UTC).hour for s in starts(event)] == [16, 15]
    assert {timezone.localtime(s).hour for s in starts(event)} == {16}


def test_an_evening_that_spans_the_clock_change_night_keeps_its_length_in_local_time():
    event = EventFactory(
        start=local(2026, 10, 24, 22), end=local(2026, 10, 25, 1), rrule="FREQ=DAILY;COUNT=2"
    )
    first, second = event.occurrences.order_by("start")
    assert timezone.localtime(second.start).hour == 22
    assert timezone.localtime(first.end).hour == 1


def test_skipped_and_cancelled_dates():
    event = EventFactory(
        start=local(2026, 5, 5, 16),
        end=local(2026, 5, 5, 17),
        rrule="FREQ=WEEKLY;COUNT=4",
        exdates=[datetime.date(2026, 5, 12)],
        cancelled_dates=[datetime.date(2026, 5, 19)],
    )
    rows = [(timezone.localtime(o.start).date(), o.is_cancelled) for o in event.occurrences.all()]
    assert rows == [
        (datetime.date(2026, 5, 5), False),
        (datetime.date(2026, 5, 19), True),
        (datetime.date(2026, 5, 26), False),
    ]


def test_open_ended_rules_stop_at_the_horizon_and_can_be_extended():
    event = EventFactory(start=soon(1), end=soon(1) + datetime.timedelta(hours=1))
    event.rrule = "FREQ=WEEKLY"
    event.save()
    count = event.occurrences.count()
    assert 100 <= count <= 106  # two years of Tuesdays
    until = timezone.localdate() + datetime.timedelta(days=365 * 3)
    assert regenerate_occurrences(event, until=until) > count


def test_all_day_events_cover_whole_local_days_and_normalising_is_idempotent():
    event = EventFactory(
        all_day=True, start=local(2026, 7, 1, 14), end=local(2026, 7, 3, 9), rrule=""
    )
    event.refresh_from_db()
    assert timezone.localtime(event.start) == local(2026, 7, 1, 0)
    assert timezone.localtime(event.end).time() == datetime.time(23, 59, 59)
    assert timezone.localtime(event.end).date() == datetime.date(2026, 7, 3)
    before = (event.start, event.end)
    event.save()
    event.refresh_from_db()
    assert (event.start, event.end) == before


def test_a_single_all_day_event_ending_at_its_start_is_one_whole_day():
    event = EventFactory(all_day=True, start=local(2026, 7, 1, 0), end=local(2026, 7, 1, 0))
    assert timezone.localtime(event.end).date() == datetime.date(2026, 7, 1)
    assert event.occurrences.count() == 1


def test_sequence_is_bumped_on_every_change():
    event = EventFactory()
    assert event.sequence == 0
    event.title = "Renamed"
    event.save()
    event.save(update_fields=["title"])
    event.refresh_from_db()
    assert event.sequence == 2


def test_database_refuses_an_event_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start=soon(3), end=soon(2))


def test_slugs_are_unique():
    EventFactory(slug="reading")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(slug="reading")


def test_cancelling_needs_a_reason_and_a_venue_announced_on_booking_needs_a_booking_link():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(status=EventStatus.CANCELLED, cancellation_reason="")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(location=LocationMode.ON_BOOKING, booking_url="")


def test_validation_rejects_bad_rules_and_reserved_slugs():
    event = EventFactory.build(rrule="FREQ=FORTNIGHTLY", slug="past")
    event.strand.save()
    event.venue.save()
    event.strand_id, event.venue_id = event.strand.pk, event.venue.pk
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert {"rrule", "slug"} <= set(error.value.message_dict)


def test_upcoming_includes_what_is_in_progress_and_orders_soonest_first():
    now = timezone.now()
    running = EventFactory(
        start=now - datetime.timedelta(hours=1), end=now + datetime.timedelta(minutes=5)
    )
    later = EventFactory(
        start=now + datetime.timedelta(days=2), end=now + datetime.timedelta(days=2, hours=1)
    )
    sooner = EventFactory(
        start=now + datetime.timedelta(days=1), end=now + datetime.timedelta(days=1, hours=1)
    )
    finished = EventFactory(
        start=now - datetime.timedelta(hours=3), end=now - datetime.timedelta(seconds=1)
    )
    upcoming = [o.event for o in Occurrence.objects.upcoming(now=now)]
    assert upcoming == [running, sooner, later]
    assert [o.event for o in Occurrence.objects.past(now=now)] == [finished]
    assert list(Event.objects.upcoming(now=now).order_by("start")) == [running, sooner, later]


def test_publishing_rules_keep_drafts_and_scheduled_events_private_but_show_cancelled_ones():
    now = timezone.now()
    published = EventFactory()
    EventFactory(status=EventStatus.DRAFT)
    EventFactory(publish_from=now + datetime.timedelta(minutes=1))
    cancelled = EventFactory(status=EventStatus.CANCELLED, cancellation_reason="Illness.")
    assert set(Event.objects.published(now=now)) == {published, cancelled}
    assert {o.event for o in Occurrence.objects.published(now=now)} == {published, cancelled}
    later = now + datetime.timedelta(minutes=2)
    assert Event.objects.published(now=later).count() == 3


def test_month_and_day_include_events_that_overlap_them():
    EventFactory(
        title="Spans the month end", start=local(2026, 1, 31, 20), end=local(2026, 2, 1, 2)
    )
    EventFactory(title="In February", start=local(2026, 2, 10, 10), end=local(2026, 2, 10, 11))
    february = [o.event.title for o in Occurrence.objects.in_month(2026, 2)]
    assert february == ["Spans the month end", "In February"]
    assert [o.event.title for o in Occurrence.objects.on_day(datetime.date(2026, 1, 31))] == [
        "Spans the month end"
    ]
    assert Occurrence.objects.in_month(2026, 3).count() == 0


def test_a_venue_announced_on_booking_is_never_public():
    event = EventFactory(location=LocationMode.ON_BOOKING, booking_url="https://example.org/b")
    assert event.public_venue is None
    assert event.venue.postcode not in event.public_location_text
    assert event.public_location_text == "Venue announced on booking"


def test_every_column_a_filtered_lists_count_asks_about_is_in_the_narrow_filters_index(db):
    """Counting "this strand, for young people, free" need not read every event's wide
    row (each language's body) when every column of the events the count asks about is in
    ``event_filters``: PostgreSQL then answers from the index alone. A filter on a column
    left out of it fails here. (Which plan the planner picks depends on the rows at hand;
    that the index can answer does not.)"""
    import re

    from programme.models import Strand
    from tests.programme.factories import StrandFactory

    strand = StrandFactory()
    EventFactory(strand=strand, audiences=["young-people"], is_free=True)
    dates = (
        Occurrence.objects.published()
        .upcoming()
        .for_strand(Strand.objects.get(pk=strand.pk))
        .for_audience("young-people")
        .of_type(Event.objects.get().event_type)
        .free()
    )
    sql, _params = dates.order_by().values("pk").query.sql_with_params()
    asked = set(re.findall(r'"events_event"\."(\w+)"', sql))
    (index,) = (index for index in Event._meta.indexes if index.name == "event_filters")
    held = {Event._meta.get_field(name).column for name in (*index.fields, *index.include)}
    assert {"strand_id", "audiences", "event_type", "is_free", "status"} <= asked
    assert asked <= held, f"not in event_filters: {sorted(asked - held)}"
