"""Every bookings page for staff asks for the second factor first: the attendee list,
the dates, the door's check-in (today's and one date's), the sign-in sheet, the offer
page and the CSV export (last review of issue 15: no test named these addresses)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.bookings.factories import BookableEventFactory, BookingFactory, occurrence_of
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def date_with_a_booking(settings):
    settings.STAFF_MFA_REQUIRED = True
    occurrence = occurrence_of(BookableEventFactory())
    BookingFactory(occurrence=occurrence, name="Amira Haddad", access_needs="Step-free")
    return occurrence


def staff_pages(occurrence) -> list[str]:
    info = "admin:bookings_booking"
    return [
        reverse(f"{info}_changelist"),
        f"{reverse(f'{info}_changelist')}?occurrence={occurrence.pk}",
        reverse(f"{info}_dates"),
        reverse(f"{info}_checkin_today"),
        reverse(f"{info}_checkin", kwargs={"occurrence": occurrence.pk}),
        reverse(f"{info}_sign_in_sheet", kwargs={"occurrence": occurrence.pk}),
        reverse(f"{info}_offer", kwargs={"occurrence": occurrence.pk}),
    ]


def test_a_password_alone_opens_no_bookings_page(date_with_a_booking, django_user_model):
    coordinator = django_user_model.objects.create_superuser("co", "co@example.org", "pw")
    half_signed_in = Client()
    half_signed_in.force_login(coordinator)  # the password, not yet the code
    for path in staff_pages(date_with_a_booking):
        for response in (half_signed_in.get(path), half_signed_in.post(path)):
            assert response.status_code == 302, path
            assert "/admin/" in response["Location"], path
            assert "Amira" not in response.content.decode(), path


def test_with_the_second_factor_the_same_pages_open(date_with_a_booking, django_user_model):
    coordinator = django_user_model.objects.create_superuser("co", "co@example.org", "pw")
    signed_in = Client()
    verify_second_factor(signed_in, coordinator)
    *pages, offer = staff_pages(date_with_a_booking)
    for path in pages:
        assert signed_in.get(path).status_code == 200, path
    assert signed_in.get(offer).status_code == 405  # a POST only, once signed in
