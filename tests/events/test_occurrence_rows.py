"""An event's dates keep their rows across saves (bookings hang on them), and what
changed reaches the apps above through ``occurrences_changed`` after the commit."""

import datetime

import pytest
from django.db import transaction

from events.models import EventStatus, LocationMode, Occurrence
from events.services import event_cancel
from events.signals import occurrences_changed
from tests.bookings.factories import BookingFactory
from tests.events.factories import EventFactory, VenueFactory, local, soon

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def announced():
    """What occurrences_changed said, one dict per sending."""
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    occurrences_changed.connect(receiver, dispatch_uid="test_occurrence_rows")
    yield sent
    occurrences_changed.disconnect(dispatch_uid="test_occurrence_rows")


def rows(event):
    return list(event.occurrences.order_by("start").values_list("pk", "start", "is_cancelled"))


def weekly(count=4, **kwargs):
    first = soon(7, hour=16)
    return EventFactory(start=first, end=first + HOUR, rrule=f"FREQ=WEEKLY;COUNT={count}", **kwargs)


def test_saving_again_keeps_every_row_and_announces_nothing(
    announced, django_capture_on_commit_callbacks
):
    event = weekly()
    before = rows(event)
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Renamed"
        event.save()
    assert rows(event) == before
    assert announced == []


def test_a_new_time_moves_each_date_and_keeps_its_row(
    announced, django_capture_on_commit_callbacks
):
    event = weekly()
    before = rows(event)
    with django_capture_on_commit_callbacks(execute=True):
        event.start += HOUR
        event.end += HOUR
        event.save()
    after = rows(event)
    assert [pk for pk, _start, _c in after] == [pk for pk, _start, _c in before]
    assert [start for _pk, start, _c in after] == [start + HOUR for _pk, start, _c in before]
    assert len(announced) == 1
    (sent,) = announced
    assert sent["event"] == event
    assert [(pk, start) for pk, start, _end in sent["moved"]] == [
        (pk, start) for pk, start, _c in before
    ]
    assert sent["cancelled"] == []
    assert sent["venue_changed"] is False


def test_a_new_weekday_moves_the_dates_in_order(announced, django_capture_on_commit_callbacks):
    event = weekly(count=3)
    ids = [pk for pk, _s, _c in rows(event)]
    with django_capture_on_commit_callbacks(execute=True):
        event.start += datetime.timedelta(days=1)
        event.end += datetime.timedelta(days=1)
        event.save()
    assert [pk for pk, _s, _c in rows(event)] == ids
    assert [pk for pk, _s, _e in announced[0]["moved"]] == ids


def test_a_one_off_moved_to_another_day_keeps_its_row(
    announced, django_capture_on_commit_callbacks
):
    event = EventFactory(start=soon(10), rrule="")
    (pk,) = event.occurrences.values_list("pk", flat=True)
    with django_capture_on_commit_callbacks(execute=True):
        event.start, event.end = soon(12), soon(12) + 2 * HOUR
        event.save()
    assert event.occurrences.get().pk == pk
    assert announced[0]["moved"][0][0] == pk


def test_a_time_change_and_a_skipped_date_keep_bookings_on_their_own_day(
    django_capture_on_commit_callbacks,
):
    event = weekly(count=4, booking="portal", capacity=10)
    occurrences = list(event.occurrences.order_by("start"))
    booking = BookingFactory(occurrence=occurrences[3])
    event.exdates = [occurrences[1].local_start.date()]
    event.start += HOUR
    event.end += HOUR
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    booking.refresh_from_db()
    # The fourth date's booking is still on the fourth date, an hour later.
    assert booking.occurrence_id == occurrences[3].pk
    assert booking.occurrence.start == occurrences[3].start + HOUR
    assert not Occurrence.objects.filter(pk=occurrences[1].pk).exists()


def test_a_date_dropped_while_booked_is_kept_cancelled(
    announced, django_capture_on_commit_callbacks
):
    event = weekly(count=4, booking="portal", capacity=10)
    occurrences = list(event.occurrences.order_by("start"))
    booked, unbooked = occurrences[3], occurrences[2]
    BookingFactory(occurrence=booked)
    with django_capture_on_commit_callbacks(execute=True):
        event.rrule = "FREQ=WEEKLY;COUNT=2"
        event.save()
    booked.refresh_from_db()
    assert booked.is_cancelled
    assert not Occurrence.objects.filter(pk=unbooked.pk).exists()
    assert announced[0]["cancelled"] == [booked.pk]
    assert announced[0]["moved"] == []

    # Saved again, the kept row stays as it is and nothing more is announced.
    with django_capture_on_commit_callbacks(execute=True):
        event.rrule = "FREQ=WEEKLY;COUNT=3"
        event.save()
    booked.refresh_from_db()
    assert booked.is_cancelled
    assert booked.start == occurrences[3].start
    assert event.occurrences.count() == 4  # three dates and the kept one
    assert len(announced) == 1


def test_a_cancelled_date_is_announced_once(announced, django_capture_on_commit_callbacks):
    event = weekly(count=3)
    second = event.occurrences.order_by("start")[1]
    with django_capture_on_commit_callbacks(execute=True):
        event.cancelled_dates = [second.local_start.date()]
        event.save()
        event.save()
    assert [sent["cancelled"] for sent in announced] == [[second.pk]]
    second.refresh_from_db()
    assert second.is_cancelled


def test_cancelling_the_event_announces_its_dates_still_to_come(
    announced, django_capture_on_commit_callbacks
):
    event = EventFactory(start=local(2020, 1, 7, 16), end=local(2020, 1, 7, 17),
                         rrule=f"FREQ=WEEKLY;UNTIL={soon(20):%Y%m%d}")  # fmt: skip
    to_come = set(event.occurrences.upcoming().values_list("pk", flat=True))
    assert 0 < len(to_come) < event.occurrences.count()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, reason="The writer is unwell.")
    assert event.status == EventStatus.CANCELLED
    assert set(announced[0]["cancelled"]) == to_come


def test_another_venue_is_announced(announced, django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        event.venue = VenueFactory()
        event.save()
    assert announced[0]["venue_changed"] is True
    assert announced[0]["moved"] == []


def test_a_venue_announced_on_booking_from_now_on_is_announced(
    announced, django_capture_on_commit_callbacks
):
    event = EventFactory(booking="portal", capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        event.location = LocationMode.ON_BOOKING
        event.save()
    assert announced[0]["venue_changed"] is True


def test_a_venue_whose_address_changes_announces_each_event_still_to_come(
    announced, django_capture_on_commit_callbacks
):
    venue = VenueFactory()
    coming = EventFactory(venue=venue)
    EventFactory(venue=venue, start=local(2020, 3, 3, 18), end=local(2020, 3, 3, 19))  # over
    with django_capture_on_commit_callbacks(execute=True):
        venue.accessibility_notes = "A ramp at the side door."
        venue.save()
    assert announced == []  # nothing an attendee needs to know
    with django_capture_on_commit_callbacks(execute=True):
        venue.address = "2 Elm Hill\nNorwich"
        venue.save()
    assert [(sent["event"], sent["venue_changed"]) for sent in announced] == [(coming, True)]


def test_booking_switched_off_on_the_site_is_announced(
    announced, django_capture_on_commit_callbacks
):
    event = EventFactory(booking="portal", capacity=10)
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Now booked elsewhere"
        event.save()
    assert announced == []
    with django_capture_on_commit_callbacks(execute=True):
        event.booking, event.booking_url = "link", "https://tickets.example.org/"
        event.save()
    assert announced[0]["booking_stopped"] is True
    assert announced[0]["cancelled"] == []
    assert announced[0]["moved"] == []


def test_nothing_is_announced_when_the_transaction_rolls_back(
    announced, django_capture_on_commit_callbacks
):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event.start += HOUR
        event.end += HOUR
        event.save()
        transaction.set_rollback(True)
    assert announced == []


def test_a_receiver_that_fails_does_not_undo_the_save(django_capture_on_commit_callbacks, caplog):
    def broken(sender, **kwargs):
        raise RuntimeError("mail is down")

    occurrences_changed.connect(broken, dispatch_uid="test_broken")
    try:
        event = EventFactory()
        with django_capture_on_commit_callbacks(execute=True):
            event.start += HOUR
            event.end += HOUR
            event.save()
    finally:
        occurrences_changed.disconnect(dispatch_uid="test_broken")
    event.refresh_from_db()
    assert event.occurrences.get().start == event.start
    assert "occurrences_changed" in caplog.text


def test_an_admin_save_of_a_long_series_stays_a_handful_of_queries(django_assert_max_num_queries):
    event = EventFactory(start=soon(1), rrule="FREQ=DAILY;COUNT=300")
    event.title = "Still daily"
    with django_assert_max_num_queries(12):
        event.save()
    event.start += HOUR
    event.end += HOUR
    with django_assert_max_num_queries(12):
        event.save()


def test_staff_give_one_date_its_own_number_of_places(admin_client):
    from tests.admin_forms import post_back

    first = soon(7, hour=16)
    event = EventFactory(start=first, end=first + HOUR, rrule="FREQ=WEEKLY;COUNT=3",
                         booking="portal", capacity=20)  # fmt: skip
    dates = list(event.occurrences.order_by("start"))
    url = f"/admin/events/event/{event.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'name="occurrences-1-capacity"' in page
    # The form lists the dates soonest first, as the inline's queryset orders them.
    response = post_back(admin_client, url, {"occurrences-1-capacity": "8"}, form_id="event_form")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [o.capacity for o in event.occurrences.order_by("start")] == [None, 8, None]
    assert [o.pk for o in event.occurrences.order_by("start")] == [o.pk for o in dates]
    assert event.occurrences.order_by("start")[1].places == 8


def test_an_event_not_booked_here_has_no_places_per_date(admin_client):
    event = EventFactory()
    page = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "occurrences-0-capacity" not in page
