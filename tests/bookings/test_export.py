"""Subject access (UK GDPR): every booking held for an address, and the site-wide command.

``booking_subject_access_export(email=…)`` gives each booking's fields, how its status
changed, when its venue was sent, the emails still queued; never a withheld address.
``manage.py export_personal_data --email …`` prints that with the person's volunteer
applications, as JSON.
"""

import io
import json
import uuid

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from bookings import services
from bookings.models import (
    Booking,
    BookingEmail,
    BookingStatus,
    CancelledBy,
    EmailKind,
    ReleaseChannel,
    VenueRelease,
)
from tests.bookings.conftest import book_data
from tests.bookings.factories import (
    BookableEventFactory,
    BookingFactory,
    PrivateVenueEventFactory,
    occurrence_of,
)
from tests.volunteers.factories import NoteFactory, VolunteerApplicationFactory

pytestmark = pytest.mark.django_db

# Every part of the private venue the factory makes: none may appear in an export.
PRIVATE = ("The Safe House", "Secret Row", "NR9 9ZZ")


def book(occurrence, **data) -> Booking:
    return services.booking_submit(
        occurrence=occurrence,
        data=book_data(**data),
        submission_key=uuid.uuid4(),
        privacy_notice_version="1.1",
        language="ar",
    ).booking


def export_command(email: str) -> tuple[dict, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_personal_data", email=email, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_every_booking_for_the_address_with_its_history_and_nothing_of_others():
    occurrence = occurrence_of(PrivateVenueEventFactory(title="Letters to Europe"))
    booking = book(
        occurrence, email="Amira@Example.org", places=2, access_needs="A seat near the door"
    )
    services.booking_confirm_email(booking=booking)
    services.booking_change_places(booking=booking, places=1)
    VenueRelease.objects.create(booking=booking, channel=ReleaseChannel.MANAGE_PAGE)
    other_date = occurrence_of(BookableEventFactory(title="Poems at dusk"))
    waiting = BookingFactory(occurrence=other_date, email="amira@example.org", waiting=True)
    BookingFactory(occurrence=occurrence, email="someone.else@example.org", name="Jiao Wen")

    exported = services.booking_subject_access_export(email="  AMIRA@example.org ")

    assert [item["reference"] for item in exported] == [booking.pk, waiting.pk]
    first = exported[0]
    assert first["event"] == "Letters to Europe"
    assert first["name"] == "Amira Haddad"
    assert first["email"] == "Amira@Example.org"
    assert first["places"] == 1
    assert first["access_needs"] == "A seat near the door"
    assert first["language"] == "ar"
    assert first["status"] == BookingStatus.CONFIRMED
    assert first["privacy_notice_version"] == "1.1"
    assert first["consent_given_at"]
    assert first["email_confirmed_at"]
    assert first["confirmed_at"]
    # How it went, from the audit history: held for 2, confirmed, then down to 1 place.
    assert [(step["status"], step["places"]) for step in first["status_history"]] == [
        ("held", 2),
        ("confirmed", 2),
        ("confirmed", 1),
    ]
    # The release log: the confirmation email is still queued (not sent), the page was seen.
    assert [release["how"] for release in first["venue_sent"]] == ["manage-page"]
    assert sorted(email["kind"] for email in first["queued_emails"]) == ["confirm", "confirmed"]
    assert exported[1]["status"] == BookingStatus.WAITING
    text = json.dumps(exported, ensure_ascii=False)
    assert "Jiao Wen" not in text
    assert "someone.else" not in text
    for part in PRIVATE:
        assert part not in text  # the venue is not the visitor's personal data


def test_a_cancelled_booking_keeps_who_cancelled_and_staff_s_message_and_admin_history():
    booking = BookingFactory(email="amira@example.org")
    services.booking_cancel(booking=booking, by=CancelledBy.STAFF, message="The room is too small.")
    staff = get_user_model().objects.create_user("coordinator", password="a-long-test-password")
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[booking],
        action_flag=CHANGE,
        change_message="Cancelled with a message.",
        single_object=True,
    )
    (exported,) = services.booking_subject_access_export(email="amira@example.org")
    assert exported["status"] == BookingStatus.CANCELLED
    assert exported["cancelled_by"] == CancelledBy.STAFF
    assert exported["cancelled_at"]
    assert exported["message_from_staff"] == "The room is too small."
    assert exported["status_history"][-1]["status"] == BookingStatus.CANCELLED
    assert exported["queued_emails"] == [
        {"kind": EmailKind.CANCELLED, "created_at": exported["queued_emails"][0]["created_at"]}
    ]
    (entry,) = exported["admin_history"]
    assert entry["change"] == "Cancelled with a message."
    assert "coordinator" not in json.dumps(exported)  # names no member of staff


def test_an_address_with_no_bookings_has_an_empty_export():
    BookingFactory(email="someone.else@example.org")
    assert services.booking_subject_access_export(email="amira@example.org") == []


def test_the_export_s_queries_do_not_grow_with_the_bookings(django_assert_max_num_queries):
    def bookings(count):
        for _ in range(count):
            booking = BookingFactory(email="amira@example.org")
            BookingEmail.objects.create(booking=booking, kind=EmailKind.REMINDER)
            VenueRelease.objects.create(booking=booking, channel=ReleaseChannel.REMINDER)

    bookings(2)
    with django_assert_max_num_queries(6):
        assert len(services.booking_subject_access_export(email="amira@example.org")) == 2
    bookings(8)
    with django_assert_max_num_queries(6):
        assert len(services.booking_subject_access_export(email="amira@example.org")) == 10


# ---------------------------------------------------------------- the command
def test_the_command_prints_volunteering_and_bookings_together():
    application = VolunteerApplicationFactory(name="Amira Haddad", email="amira@example.org")
    NoteFactory(application=application, text="Met at the library.")
    VolunteerApplicationFactory(email="someone.else@example.org")
    booking = BookingFactory(
        occurrence=occurrence_of(PrivateVenueEventFactory()), email="AMIRA@example.org"
    )
    BookingFactory(email="someone.else@example.org")

    data, err = export_command("amira@example.org")

    assert data["email"] == "amira@example.org"
    assert data["exported_at"]
    (volunteering,) = data["volunteer_applications"]
    assert volunteering["application"]["reference"] == application.pk
    assert volunteering["notes"][0]["text"] == "Met at the library."
    assert [item["reference"] for item in data["bookings"]] == [booking.pk]
    assert "someone.else" not in json.dumps(data)
    for part in PRIVATE:
        assert part not in json.dumps(data, ensure_ascii=False)
    assert err == ""


def test_the_command_says_when_nothing_is_held():
    data, err = export_command("nobody@example.org")
    assert data["volunteer_applications"] == []
    assert data["bookings"] == []
    assert "Nothing is held" in err


def test_the_command_refuses_what_is_not_an_address():
    with pytest.raises(CommandError, match="not an email address"):
        call_command("export_personal_data", email="amira")
