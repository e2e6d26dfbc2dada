"""The repeat editor: plain words in, a rule and its exceptions out (events.admin_forms)."""

import datetime

import pytest
from django.utils import timezone

from events import recurrence
from events.models import Event, SchoolHoliday
from tests.events.factories import EventFactory, VenueFactory, local
from tests.events.test_admin import workshop_form

pytestmark = pytest.mark.django_db

ADD = "/admin/events/event/add/"
D = datetime.date


def dates_of(event) -> list[str]:
    return [f"{timezone.localtime(o.start):%d/%m/%Y}" for o in event.occurrences.all()]


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ({"repeats": "weekly", "weekdays": [1, 3]}, "FREQ=WEEKLY;BYDAY=TU,TH"),
        ({"repeats": "fortnightly"}, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        ({"repeats": "monthly-weekday"}, "FREQ=MONTHLY;BYDAY=1TU"),
        ({"repeats": "monthly-date"}, "FREQ=MONTHLY;BYMONTHDAY=7"),
    ],
)
def test_every_repeat_in_words_becomes_a_rule_and_reads_back(words, rule):
    built = recurrence.build_rule(start=D(2030, 5, 7), **words)
    assert built == rule
    choices = recurrence.read_rule(built)
    assert choices["repeats"] == words["repeats"]


def test_a_fifth_weekday_is_the_last_of_the_month():
    assert recurrence.build_rule(repeats="monthly-weekday", start=D(2030, 4, 30)).endswith("-1TU")


def test_a_rule_the_words_cannot_say_is_kept_as_it_is(admin_client):
    event = EventFactory(rrule="FREQ=DAILY;COUNT=3", start=local(2030, 5, 7, 16),
                         end=local(2030, 5, 7, 17))  # fmt: skip
    response = admin_client.get(f"/admin/events/event/{event.pk}/change/")
    form = response.context["adminform"].form
    assert form.initial["repeats"] == "keep"
    assert "As set up before (FREQ=DAILY;COUNT=3)" in response.content.decode()


def test_term_time_only_skips_the_school_holidays_and_still_counts_ten_sessions(admin_client):
    SchoolHoliday.objects.create(
        name="Half term", first_day=D(2030, 5, 27), last_day=D(2030, 5, 31)
    )
    response = admin_client.post(
        ADD, workshop_form(skip=[], repeat_sessions="5", term_time_only="on")
    )
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(slug="weekly-workshop")
    assert dates_of(event) == ["07/05/2030", "14/05/2030", "21/05/2030", "04/06/2030", "11/06/2030"]
    assert event.exdates == [D(2030, 5, 28)]


def test_a_date_that_is_not_in_the_series_is_refused_in_words(admin_client):
    response = admin_client.post(ADD, workshop_form(skip=["2030-05-15"], cancel=["2030-05-16"]))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "15/05/2030 is not a date of this series" in errors["skip"][0]
    assert "16/05/2030 is not a date of this series" in errors["cancel"][0]
    assert "07/05/2030, 14/05/2030" in errors["skip"][0]
    assert not Event.objects.filter(slug="weekly-workshop").exists()


def test_a_cancelled_date_stays_listed_with_its_reason(admin_client):
    response = admin_client.post(
        ADD, workshop_form(cancel=["2030-05-21"], cancel_reason="The writer is unwell")
    )
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(slug="weekly-workshop")
    assert dates_of(event) == ["07/05/2030", "21/05/2030", "28/05/2030", "04/06/2030"]
    assert [o.is_cancelled for o in event.occurrences.all()] == [False, True, False, False]
    assert event.cancelled_reasons == {"2030-05-21": "The writer is unwell"}
    page = admin_client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "Cancelled: The writer is unwell" in page
    # The dates of the saved series come back as boxes to tick, with the choices kept.
    form = admin_client.get(f"/admin/events/event/{event.pk}/change/").context["adminform"].form
    assert form.initial["skip"] == ["2030-05-14"]
    assert form.initial["cancel"] == ["2030-05-21"]
    assert form.initial["repeats"] == "weekly"
    assert ("2030-05-28", "Tue 28/05/2030") in form.fields["cancel"].choices


def test_cancelling_a_date_asks_why(admin_client):
    response = admin_client.post(ADD, workshop_form(cancel=["2030-05-21"]))
    assert "Say why" in response.context["adminform"].form.errors["cancel_reason"][0]


def test_ending_on_a_date_and_british_formats_in_errors(admin_client):
    response = admin_client.post(ADD, workshop_form(ends="on", ends_on="01/05/2030", skip=[]))
    errors = response.context["adminform"].form.errors
    assert "The last date (01/05/2030) is before the first session (07/05/2030)." in str(errors)
    response = admin_client.post(ADD, workshop_form(start_0="2030-05-07"))
    assert "DD/MM/YYYY" in str(response.context["adminform"].form.errors["start"])
    response = admin_client.post(ADD, workshop_form(ends="on", ends_on="28/05/2030", skip=[]))
    assert response.status_code == 302
    assert dates_of(Event.objects.get(slug="weekly-workshop")) == [
        "07/05/2030",
        "14/05/2030",
        "21/05/2030",
        "28/05/2030",
    ]


def test_the_first_session_must_be_on_a_chosen_weekday(admin_client):
    response = admin_client.post(ADD, workshop_form(weekdays=["2"]))
    assert "a Tuesday" in str(response.context["adminform"].form.errors["weekdays"])


def test_the_preview_shows_the_true_number_of_sessions(admin_client):
    SchoolHoliday.objects.create(
        name="Half term", first_day=D(2030, 5, 27), last_day=D(2030, 5, 31)
    )
    data = workshop_form(term_time_only="on", cancel=["2030-05-21"], cancel_reason="Ill")
    answer = admin_client.post("/admin/events/event/repeat-preview/", data).json()
    assert answer["summary"].startswith("4 sessions listed (3 going ahead).")
    assert [item["label"] for item in answer["dates"]] == [
        "Tue 07/05/2030",
        "Tue 14/05/2030 — skipped",
        "Tue 21/05/2030 — cancelled",
        "Tue 28/05/2030 — school holiday, skipped",
        "Tue 04/06/2030",
        "Tue 11/06/2030",
    ]


def test_the_preview_is_for_staff_only(client):
    response = client.post("/admin/events/event/repeat-preview/", workshop_form())
    assert response.status_code == 302


def test_school_holidays_are_seeded_and_editable(admin_client):
    assert SchoolHoliday.objects.filter(name="Autumn half term 2026").exists()
    page = admin_client.get("/admin/events/schoolholiday/").content.decode()
    assert "26/10/2026" in page
    VenueFactory()


def test_a_duplicated_series_keeps_its_number_of_sessions(admin_client):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    admin_client.post(ADD, workshop_form(cancel=["2030-05-21"], cancel_reason="Ill"))
    event = Event.objects.get(slug="weekly-workshop")
    admin_client.post(
        "/admin/events/event/", {"action": "duplicate", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    copy = Event.objects.get(slug__startswith="weekly-workshop-")
    assert dates_of(copy) == ["14/05/2030", "28/05/2030", "04/06/2030", "11/06/2030"]
    assert copy.cancelled_reasons == {}
    assert not any(o.is_cancelled for o in copy.occurrences.all())
