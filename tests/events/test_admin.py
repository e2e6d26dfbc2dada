import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from events.models import Event, EventStatus
from tests.events.factories import EventFactory, VenueFactory, local

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/events/event/"


def test_changelist_filters_searches_and_drills_down_by_date(admin_client):
    EventFactory(title="Poetry night", start=local(2030, 5, 1, 19), end=local(2030, 5, 1, 20))
    EventFactory(title="Old talk", start=local(2020, 5, 1, 19), end=local(2020, 5, 1, 20))
    content = admin_client.get(CHANGELIST).content.decode()
    assert "Poetry night" in content
    assert "Old talk" in content
    upcoming = admin_client.get(CHANGELIST + "?when=upcoming").content.decode()
    assert "Poetry night" in upcoming
    assert "Old talk" not in upcoming
    past = admin_client.get(CHANGELIST + "?when=past").content.decode()
    assert "Old talk" in past
    assert "Poetry night" not in past
    found = admin_client.get(CHANGELIST + "?q=poetry").content.decode()
    assert "Old talk" not in found
    drill = admin_client.get(CHANGELIST + "?start__year=2030").content.decode()
    assert "Poetry night" in drill
    assert "Old talk" not in drill


def test_venue_autocomplete_finds_venues(admin_client):
    VenueFactory(name="Dragon Hall")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "drag", "app_label": "events", "model_name": "event", "field_name": "venue"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Dragon Hall"]


def workshop_form(**overrides) -> dict:
    return {
        "title_en": "Weekly workshop",  # English, the source (issue 16, layer 3)
        "slug": "weekly-workshop",
        "strand": EventFactory().strand.pk,
        "event_type": "workshop",
        "audiences": ["young-people"],
        "start_0": "07/05/2030",
        "start_1": "16:00",
        "end_0": "07/05/2030",
        "end_1": "17:30",
        "repeats": "weekly",
        "weekdays": ["1"],
        "ends": "after",
        "repeat_sessions": "4",
        "skip": ["2030-05-14"],
        "location": "venue",
        "venue": VenueFactory().pk,
        "is_free": "on",
        "booking": "none",
        "places_per_booking": "4",
        "booking_closes_hours": "0",
        "reminder_hours": "24",
        "status": "published",
        "occurrences-TOTAL_FORMS": "0",
        "occurrences-INITIAL_FORMS": "0",
        "occurrences-MIN_NUM_FORMS": "0",
        "occurrences-MAX_NUM_FORMS": "0",
    } | overrides


def test_staff_can_add_a_weekly_workshop_with_an_exception(admin_client):
    """Four sessions with one date skipped is still four sessions: it runs a week longer."""
    response = admin_client.post("/admin/events/event/add/", workshop_form())
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(slug="weekly-workshop")
    days = [f"{timezone.localtime(o.start):%d/%m}" for o in event.occurrences.all()]
    assert days == ["07/05", "21/05", "28/05", "04/06"]
    assert event.rrule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20300604T235959"
    assert event.exdates == [datetime.date(2030, 5, 14)]


def test_bad_input_is_a_form_error_not_a_crash(admin_client):
    response = admin_client.post(
        "/admin/events/event/add/",
        workshop_form(repeats="hourly", end_0="06/05/2030", slug="past"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"repeats", "slug"} <= set(errors)
    assert "event_ends_after_start" in str(errors) or "__all__" in errors
    assert not Event.objects.filter(title="Weekly workshop").exists()


def test_publish_and_unpublish_actions(admin_client):
    draft = EventFactory(status=EventStatus.DRAFT)
    admin_client.post(CHANGELIST, {"action": "publish", ACTION_CHECKBOX_NAME: [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == EventStatus.PUBLISHED
    admin_client.post(CHANGELIST, {"action": "unpublish", ACTION_CHECKBOX_NAME: [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == EventStatus.DRAFT


def test_cancel_asks_for_a_reason_then_cancels(admin_client):
    event = EventFactory(title="Poetry night")
    asked = admin_client.post(CHANGELIST, {"action": "cancel", ACTION_CHECKBOX_NAME: [event.pk]})
    content = asked.content.decode()
    assert asked.status_code == 200
    assert "Poetry night" in content
    assert 'name="reason"' in content
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    done = admin_client.post(
        CHANGELIST,
        {"action": "cancel", ACTION_CHECKBOX_NAME: [event.pk], "reason": "The writer is unwell."},
    )
    assert done.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert event.cancellation_reason == "The writer is unwell."
    assert event.sequence == 1


def test_duplicate_opens_a_draft_copy_a_week_later(admin_client):
    event = EventFactory(
        slug="poetry-night", start=local(2030, 5, 1, 19), end=local(2030, 5, 1, 20)
    )
    response = admin_client.post(
        CHANGELIST, {"action": "duplicate", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.url == f"/admin/events/event/{copy.pk}/change/"
    assert copy.status == EventStatus.DRAFT
    assert copy.start - event.start == datetime.timedelta(weeks=1)
    assert copy.uid != event.uid
    assert copy.slug == "poetry-night-2030-05-08"
    assert copy.occurrences.count() == 1


def test_content_editors_have_event_permissions():
    group = Group.objects.get(name="Content editor")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_event", "change_event", "delete_event", "view_event"} <= codenames
    assert {"add_venue", "change_venue", "view_venue"} <= codenames
    assert Permission.objects.filter(codename="add_event").count() == 1


@pytest.mark.django_db
def test_the_admin_home_shows_the_next_dates_in_the_calendar(admin_client):
    from tests.events.factories import soon

    EventFactory(title="Reading at the Forum", start=soon(days=2))
    EventFactory(title="Draft workshop", start=soon(days=3), status="draft")
    home = admin_client.get("/admin/").content.decode()
    assert 'id="events-panel"' in home
    assert "Reading at the Forum" in home
    assert "Draft workshop" in home
    assert "(draft)" in home


@pytest.mark.django_db
def test_a_rule_the_event_breaks_is_explained_in_words_not_by_constraint_name(admin_client):
    from tests.admin_forms import post_back

    event = EventFactory()
    response = post_back(
        admin_client,
        f"/admin/events/event/{event.pk}/change/",
        {"location": "on-booking", "booking_url": ""},
        form_id="event_form",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "needs booking: on this site" in content
    assert "event_announced_on_booking_takes_bookings" not in content
