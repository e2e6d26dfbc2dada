"""Extra dates of a series (RDATE), cancelled dates with their reasons in public, and
series that follow the school holidays when staff change them (issue 13)."""

import datetime

import icalendar
import pytest
from dateutil.rrule import rruleset, rrulestr
from django.utils import timezone

from events.models import Event, Occurrence, SchoolHoliday
from events.recurrence import sync_occurrences
from events.signals import occurrences_changed
from tests.events.factories import EventFactory, local
from tests.events.test_admin import workshop_form

pytestmark = pytest.mark.django_db

ADD = "/admin/events/event/add/"
HOLIDAYS = "/admin/events/schoolholiday/"
D = datetime.date


def starts_of(event) -> list[str]:
    return [f"{timezone.localtime(o.start):%d/%m/%Y %H:%M}" for o in event.occurrences.all()]


def expanded(vevent) -> list[datetime.datetime]:
    """The local starts a calendar app gives a VEVENT: RRULE and RDATE, less EXDATE
    (dateutil, on Europe/London wall-clock times, as the VTIMEZONE says)."""

    def wall(moment):
        assert str(moment.tzinfo) == "Europe/London"
        return moment.replace(tzinfo=None)

    dates = rruleset()
    dates.rrule(rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=wall(vevent.start)))
    for prop in ("RDATE", "EXDATE"):
        values = vevent.get(prop, [])
        for group in values if isinstance(values, list) else [values]:
            for moment in group.dts:
                (dates.rdate if prop == "RDATE" else dates.exdate)(wall(moment.dt))
    return list(dates)


def workshop_with_extra(admin_client, **overrides):
    response = admin_client.post(ADD, workshop_form(**overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Event.objects.get(slug="weekly-workshop")


# ---------------------------------------------------------------- extra dates


def test_an_extra_date_joins_the_series_everywhere(admin_client, client):
    # Tuesdays 16:00 from 07/05/2030, four sessions, 14/05 skipped; an extra Saturday.
    event = workshop_with_extra(admin_client, extra="18/05/2030 10:30\n")
    assert starts_of(event) == [
        "07/05/2030 16:00",
        "18/05/2030 10:30",
        "21/05/2030 16:00",
        "28/05/2030 16:00",
        "04/06/2030 16:00",
    ]
    extra = event.occurrences.get(start=local(2030, 5, 18, 10, 30))
    assert extra.end - extra.start == datetime.timedelta(hours=1, minutes=30)
    # The form shows it back as typed, British style.
    form = admin_client.get(f"/admin/events/event/{event.pk}/change/").context["adminform"].form
    assert form.initial["extra"] == "18/05/2030 10:30"
    assert ("2030-05-18", "Sat 18/05/2030 (extra date)") in form.fields["cancel"].choices
    # The public page lists it among the other dates.
    page = client.get(f"{event.get_absolute_url()}?on=2030-05-07").content.decode()
    assert "Saturday 18 May 2030" in page
    # The calendar file carries it as RDATE, in Europe/London, and a calendar app's
    # expansion gives exactly the stored dates.
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}.ics").content)
    (vevent,) = calendar.walk("VEVENT")
    assert "RDATE;TZID=Europe/London:20300518T103000" in vevent.to_ical().decode()
    assert expanded(vevent) == [
        timezone.localtime(o.start).replace(tzinfo=None) for o in event.occurrences.all()
    ]


def test_an_extra_date_without_a_time_takes_the_series_time(admin_client):
    event = workshop_with_extra(admin_client, extra="19/06/2030")
    assert "19/06/2030 16:00" in starts_of(event)


def test_an_extra_date_on_a_skipped_day_is_not_excluded_by_the_skip(admin_client, client):
    event = workshop_with_extra(admin_client, extra="14/05/2030 16:00")
    assert "14/05/2030 16:00" in starts_of(event)
    (vevent,) = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}.ics").content).walk(
        "VEVENT"
    )
    assert "EXDATE" not in vevent
    assert len(expanded(vevent)) == event.occurrences.count() == 5


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("21/05/2030 16:00", "21/05/2030 is already a date of this series"),
        ("21/05/2030 09:00", "21/05/2030 is already a date of this series"),
        ("01/05/2030 16:00", "01/05/2030 is not after the first session (07/05/2030 16:00)"),
        ("2030-05-18", "“2030-05-18”: write each extra date on its own line as DD/MM/YYYY"),
        ("18/05/2030 25:00", "for example 14/01/2027 16:00"),
        ("18/05/2030 10:00\n18/05/2030 12:00", "18/05/2030 is given twice"),
    ],
)
def test_a_wrong_extra_date_is_refused_in_words_and_kept_in_the_box(admin_client, typed, message):
    response = admin_client.post(ADD, workshop_form(extra=typed))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert message in " ".join(form.errors["extra"])
    assert typed in response.content.decode()  # nothing typed is lost
    assert not Event.objects.filter(slug="weekly-workshop").exists()


def test_a_one_off_event_has_no_extra_dates(admin_client):
    response = admin_client.post(ADD, workshop_form(repeats="", skip=[], extra="18/05/2030"))
    assert "Only a repeating event can have extra dates" in str(
        response.context["adminform"].form.errors["extra"]
    )


def test_an_extra_date_can_be_cancelled_and_taken_away(admin_client):
    event = workshop_with_extra(admin_client, extra="18/05/2030 10:30")
    change = f"/admin/events/event/{event.pk}/change/"
    response = admin_client.post(
        change,
        workshop_form(
            slug=event.slug,
            strand=event.strand_id,
            venue=event.venue_id,
            extra="18/05/2030 10:30",
            cancel=["2030-05-18"],
            cancel_reason="The hall is flooded",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    extra = Occurrence.objects.get(event=event, start=local(2030, 5, 18, 10, 30))
    assert extra.is_cancelled
    assert extra.cancellation_note == "The hall is flooded"
    response = admin_client.post(
        change, workshop_form(slug=event.slug, strand=event.strand_id, venue=event.venue_id)
    )
    assert response.status_code == 302
    assert not event.occurrences.filter(start=local(2030, 5, 18, 10, 30)).exists()


def test_the_preview_shows_the_extra_date(admin_client):
    data = workshop_form(extra="18/05/2030 10:30")
    answer = admin_client.post("/admin/events/event/repeat-preview/", data).json()
    assert "Sat 18/05/2030 10:30 — extra date" in [item["label"] for item in answer["dates"]]
    assert answer["summary"].startswith("5 sessions listed (5 going ahead).")


# ---------------------------------------------------------------- reasons in public


def series_with_a_cancelled_date(**overrides) -> Event:
    return EventFactory(
        title="Canaries workshop",
        start=local(2030, 5, 7, 16),
        end=local(2030, 5, 7, 17),
        rrule="FREQ=WEEKLY;COUNT=4",
        cancelled_dates=[D(2030, 5, 14)],
        cancelled_reasons={"2030-05-14": "The writer is unwell"},
        **overrides,
    )


def test_a_cancelled_date_shows_its_reason_on_the_event_page_and_the_day(client):
    event = series_with_a_cancelled_date()
    page = client.get(f"{event.get_absolute_url()}?on=2030-05-07").content.decode()
    assert "Cancelled: The writer is unwell" in page
    assert page.count("Cancelled: The writer is unwell") == 1  # only beside 14 May
    chosen = client.get(f"{event.get_absolute_url()}?on=2030-05-14").content.decode()
    assert "This date is cancelled." in chosen
    assert "The writer is unwell" in chosen
    day = client.get("/events/calendar/2030/5/14/").content.decode()
    assert "Cancelled: The writer is unwell" in day
    other_day = client.get("/events/calendar/2030/5/21/").content.decode()
    assert "The writer is unwell" not in other_day
    month = client.get("/events/calendar/2030/5/").content.decode()
    assert month.count("Cancelled: The writer is unwell") == 1


def test_a_cancelled_date_in_the_calendar_file_carries_its_reason(client):
    event = series_with_a_cancelled_date()
    calendar = icalendar.Calendar.from_ical(client.get(f"/events/{event.slug}.ics").content)
    main, override = calendar.walk("VEVENT")
    assert "RECURRENCE-ID" not in main
    assert override["RECURRENCE-ID"].dt == local(2030, 5, 14, 16)
    assert str(override["STATUS"]) == "CANCELLED"
    assert "Cancelled: The writer is unwell" in str(override["DESCRIPTION"])
    assert "unwell" not in str(main["DESCRIPTION"])


# ---------------------------------------------------------------- school holidays


def term_time_series(**overrides) -> Event:
    """Tuesdays 16:00 from 07/05/2030 until 11/06/2030, term time only."""
    return EventFactory(
        **{
            "start": local(2030, 5, 7, 16),
            "end": local(2030, 5, 7, 17),
            "rrule": "FREQ=WEEKLY;BYDAY=TU;UNTIL=20300611T235959",
            "term_time_only": True,
        }
        | overrides
    )


def holiday_form(**overrides) -> dict:
    return {"name": "Half term", "first_day": "27/05/2030", "last_day": "31/05/2030"} | overrides


def days_of(event) -> list[D]:
    return [timezone.localtime(o.start).date() for o in event.occurrences.all()]


def test_a_new_half_term_skips_its_dates_and_deleting_it_brings_them_back(admin_client):
    event = term_time_series(exdates=[D(2030, 5, 14)])  # staff skipped 14/05 themselves
    other = EventFactory(
        start=local(2030, 5, 7, 18), end=local(2030, 5, 7, 19), rrule="FREQ=WEEKLY;COUNT=6"
    )
    sequence = event.sequence
    response = admin_client.post(f"{HOLIDAYS}add/", holiday_form(), follow=True)
    assert "1 term-time series now follows the new holidays" in response.content.decode()
    event.refresh_from_db()
    assert D(2030, 5, 28) not in days_of(event)
    assert event.exdates == [D(2030, 5, 14), D(2030, 5, 28)]
    assert event.sequence > sequence  # subscribers' calendars pick it up
    assert D(2030, 5, 28) in days_of(other)  # not term time only: untouched
    # Moved a week later: the 28th comes back, the 4th goes.
    holiday = SchoolHoliday.objects.get(name="Half term")
    admin_client.post(
        f"{HOLIDAYS}{holiday.pk}/change/",
        holiday_form(first_day="03/06/2030", last_day="07/06/2030"),
    )
    event.refresh_from_db()
    assert D(2030, 5, 28) in days_of(event)
    assert D(2030, 6, 4) not in days_of(event)
    # Deleted: every date comes back, and staff's own skip stays.
    admin_client.post(f"{HOLIDAYS}{holiday.pk}/delete/", {"post": "yes"})
    event.refresh_from_db()
    assert event.exdates == [D(2030, 5, 14)]
    assert D(2030, 6, 4) in days_of(event)
    assert D(2030, 5, 14) not in days_of(event)


def test_a_series_of_so_many_sessions_keeps_its_number_when_a_holiday_comes(admin_client):
    event = term_time_series(rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20300528T235959",
                             repeat_sessions=4)  # fmt: skip
    assert len(days_of(event)) == 4
    admin_client.post(f"{HOLIDAYS}add/", holiday_form())
    event.refresh_from_db()
    assert days_of(event) == [D(2030, 5, 7), D(2030, 5, 14), D(2030, 5, 21), D(2030, 6, 4)]


def test_a_booked_date_in_a_new_holiday_is_kept_cancelled_and_bookings_are_told(admin_client):
    from tests.bookings.factories import BookingFactory

    event = term_time_series(booking="portal", capacity=10)
    booked = event.occurrences.get(start=local(2030, 5, 28, 16))
    BookingFactory(occurrence=booked)
    told = []

    def receiver(sender, **kwargs):
        told.append(kwargs)

    occurrences_changed.connect(receiver)
    try:
        with pytest.MonkeyPatch.context() as patch:
            # Run on-commit callbacks at once (the test's transaction never commits).
            patch.setattr("django.db.transaction.on_commit", lambda send, **kw: send())
            admin_client.post(f"{HOLIDAYS}add/", holiday_form())
    finally:
        occurrences_changed.disconnect(receiver)
    booked.refresh_from_db()
    assert booked.is_cancelled  # listed, marked cancelled: not silently dropped
    assert Occurrence.objects.filter(pk=booked.pk).exists()
    assert [call["cancelled"] for call in told] == [[booked.pk]]


def test_sync_occurrences_is_the_path_holidays_take(admin_client, monkeypatch):
    calls = []
    real = sync_occurrences

    def spy(event, **kwargs):
        calls.append(event.pk)
        return real(event, **kwargs)

    monkeypatch.setattr("events.recurrence.sync_occurrences", spy)
    event = term_time_series()
    calls.clear()
    admin_client.post(f"{HOLIDAYS}add/", holiday_form())
    assert calls == [event.pk]


def test_school_holidays_take_british_dates_only(admin_client):
    response = admin_client.post(f"{HOLIDAYS}add/", holiday_form(first_day="2030-05-27"))
    assert response.status_code == 200
    assert "Enter the date as DD/MM/YYYY" in str(response.context["adminform"].form.errors)
    page = admin_client.get(f"{HOLIDAYS}add/").content.decode()
    assert "DD/MM/YYYY" in page
