"""Who may do what with bookings, per role, and the sign-in sheet's access needs.

The Booking coordinator group (bookings migration 0003) runs attendee lists: it sees and
changes bookings (through the actions), checks people in, sees access needs, reads the
release log, and only sees events. Content editors, volunteer coordinators and staff in
no group see no booking at all. Access needs show only to staff with "Can see access needs"
(``bookings.view_access_needs``, given to the group by migration 0008) and superusers.
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from bookings.models import Booking, BookingStatus, VenueRelease
from tests.bookings import test_admin as admin_tests
from tests.bookings.factories import BookableEventFactory, BookingFactory
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

coordinator = admin_tests.coordinator
coordinator_client = admin_tests.coordinator_client
CHANGELIST = admin_tests.CHANGELIST
NEEDS = "Guide dog; a seat on the aisle"


@pytest.fixture
def date(db):
    occurrence = BookableEventFactory(title="Strangers and Canaries").occurrences.get()
    booking = BookingFactory(occurrence=occurrence, name="Amira Haddad", access_needs=NEEDS)
    BookingFactory(occurrence=occurrence, name="Jiao Wen")
    VenueRelease.objects.create(booking=booking, channel="confirmation")
    return occurrence


def staff_client(django_user_model, username, *, groups=(), permissions=()) -> Client:
    user = django_user_model.objects.create_user(username, password="a-long-test-password",
                                                 is_staff=True)  # fmt: skip
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    for codename in permissions:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client = Client()
    verify_second_factor(client, user)
    return client


def staff_pages(date) -> dict[str, str]:
    booking = Booking.objects.filter(occurrence=date).first()
    return {
        "changelist": CHANGELIST,
        "change": f"{CHANGELIST}{booking.pk}/change/",
        "history": f"{CHANGELIST}{booking.pk}/history/",
        "dates": f"{CHANGELIST}dates/",
        "sheet": f"{CHANGELIST}date/{date.pk}/sign-in-sheet/",
        "door": f"{CHANGELIST}checkin/",
        "checkin": f"{CHANGELIST}checkin/{date.pk}/",
        "releases": "/admin/bookings/venuerelease/",
        "counts": "/admin/bookings/bookingcount/",
    }


def test_the_group_is_made_by_migration_with_exactly_its_permissions(staff_roles):
    group = Group.objects.get(name="Booking coordinator")
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert codenames == {
        ("bookings", "view_booking"),
        ("bookings", "change_booking"),
        ("bookings", "view_access_needs"),
        ("bookings", "view_venuerelease"),
        ("bookings", "view_bookingcount"),
        ("events", "view_event"),
        ("events", "view_occurrence"),
    }


def test_a_booking_coordinator_runs_the_attendee_lists(coordinator_client, date):
    for name, url in staff_pages(date).items():
        response = coordinator_client.get(url, follow=name == "door")
        assert response.status_code == 200, name
    sheet = coordinator_client.get(staff_pages(date)["sheet"]).content.decode()
    assert NEEDS in sheet
    assert "♿" in sheet
    index = coordinator_client.get("/admin/").content.decode()
    assert "/admin/bookings/booking/" in index
    # Events: to look at, not to change; volunteers: nothing.
    event = date.event
    assert coordinator_client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    assert coordinator_client.get("/admin/events/event/add/").status_code == 403
    assert coordinator_client.get("/admin/volunteers/volunteerapplication/").status_code == 403
    assert coordinator_client.get("/admin/programme/writer/").status_code == 403


def test_a_booking_coordinator_cannot_add_delete_or_edit_by_hand(coordinator_client, date):
    booking = Booking.objects.get(name="Jiao Wen")
    assert coordinator_client.get(f"{CHANGELIST}add/").status_code == 403
    assert coordinator_client.get(f"{CHANGELIST}{booking.pk}/delete/").status_code == 403
    change = f"{CHANGELIST}{booking.pk}/change/"
    coordinator_client.post(change, {"name": "Changed", "status": "cancelled"})
    booking.refresh_from_db()
    assert (booking.name, booking.status) == ("Jiao Wen", BookingStatus.CONFIRMED)


@pytest.mark.parametrize(
    ("username", "groups"),
    [
        ("editor", ["Content editor"]),
        ("volunteers", ["Volunteer coordinator"]),
        ("nobody", []),
    ],
)
def test_other_roles_see_no_booking(django_user_model, staff_roles, date, username, groups):
    client = staff_client(django_user_model, username, groups=groups)
    for name, url in staff_pages(date).items():
        response = client.get(url)
        assert response.status_code in (302, 403), (name, response.status_code)
        if response.status_code == 302:  # the admin's own answer: the index or the login
            assert "/bookings/" not in response.url, name
        assert "Amira" not in response.content.decode(), name
    assert client.post(f"{CHANGELIST}checkin/{date.pk}/", {"token": "#1"}).status_code == 403
    assert "/admin/bookings/" not in client.get("/admin/").content.decode()
    assert not Booking.objects.filter(checked_in_at__isnull=False).exists()


def test_access_needs_need_the_permission(django_user_model, staff_roles, date):
    """Staff who may only view bookings see the list and the sheet, never access needs,
    and cannot check anyone in."""
    viewer = staff_client(django_user_model, "viewer", permissions=["view_booking"])
    sheet = viewer.get(f"{CHANGELIST}date/{date.pk}/sign-in-sheet/").content.decode()
    assert "Amira Haddad" in sheet
    assert NEEDS not in sheet
    assert "♿" not in sheet
    booking = Booking.objects.get(name="Amira Haddad")
    change = viewer.get(f"{CHANGELIST}{booking.pk}/change/").content.decode()
    assert "Amira Haddad" in change
    assert NEEDS not in change
    listing = viewer.get(CHANGELIST, {"occurrence": date.pk}).content.decode()
    assert NEEDS not in listing
    assert "access needs" not in listing.lower()
    export = viewer.post(CHANGELIST, {"action": "export_csv",
                                      "_selected_action": [booking.pk]})  # fmt: skip
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert "Access needs" not in rows[0]
    assert NEEDS not in export.content.decode("utf-8-sig")
    assert viewer.get(f"{CHANGELIST}checkin/{date.pk}/").status_code == 403
    # No actions that change anything are offered to a viewer.
    assert "cancel_with_message" not in listing
    assert "mark_attended" not in listing


def test_the_sign_in_sheet_is_printable_and_lists_confirmed_people_only(coordinator_client, date):
    BookingFactory(occurrence=date, name="Waiting Person", waiting=True)
    response = coordinator_client.get(f"{CHANGELIST}date/{date.pk}/sign-in-sheet/")
    content = response.content.decode()
    assert [booking.name for booking in response.context["bookings"]] == [
        "Amira Haddad",
        "Jiao Wen",
    ]
    assert "Waiting Person" not in content
    assert "/static/css/checkin.css" in content
    assert 'class="tick-box"' in content
    assert "Access needs (for the staff running the event only)" in content
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_a_superuser_sees_everything(admin_client, date):
    for name, url in staff_pages(date).items():
        assert admin_client.get(url, follow=name == "door").status_code == 200, name
    assert NEEDS in admin_client.get(f"{CHANGELIST}date/{date.pk}/sign-in-sheet/").content.decode()


def test_changing_bookings_is_not_enough_to_see_access_needs(django_user_model, staff_roles, date):
    """Access needs have their own permission: staff who may view and change bookings (and
    check people in) without it see none on the list, the sign-in sheet or the door page."""
    door = staff_client(django_user_model, "door", permissions=["view_booking", "change_booking"])
    pages = staff_pages(date)
    listing = door.get(CHANGELIST, {"occurrence": date.pk}).content.decode()
    sheet = door.get(pages["sheet"]).content.decode()
    checkin = door.get(pages["checkin"])
    assert checkin.status_code == 200
    for name, html in [("list", listing), ("sheet", sheet), ("checkin", checkin.content.decode())]:
        assert "Amira Haddad" in html, name
        assert NEEDS not in html, name
        assert "♿" not in html, name
    assert "access needs" not in listing.lower()
    # Given the permission, the same person sees them everywhere.
    user = django_user_model.objects.get(username="door")
    user.user_permissions.add(Permission.objects.get(codename="view_access_needs"))
    listing = door.get(CHANGELIST, {"occurrence": date.pk}).content.decode()
    assert "access needs" in listing.lower()
    assert "♿" in listing
    for url in (pages["sheet"], pages["checkin"]):
        html = door.get(url).content.decode()
        assert NEEDS in html, url
        assert "♿" in html, url


def test_a_booking_coordinator_sees_access_needs_on_the_list_and_at_the_door(
    coordinator_client, date
):
    pages = staff_pages(date)
    listing = coordinator_client.get(CHANGELIST, {"occurrence": date.pk}).content.decode()
    assert "♿" in listing
    assert NEEDS in listing  # in the column's title
    assert NEEDS in coordinator_client.get(pages["checkin"]).content.decode()
