"""Booking on a phone: book, confirm by email, see the private address, cancel; the next
person waiting is offered the place and accepts it."""

import re
import uuid

import icalendar
import pytest
from django.core import mail

from tests.browser.axe import assert_accessible
from tests.browser.conftest import WIDTHS

pytestmark = pytest.mark.browser

SECRET = "7 Secret Row"


@pytest.fixture
def booking_site(site, settings):
    settings.REDIS_URL = ""
    settings.BOOKINGS = {**settings.BOOKINGS, "RATE_LIMIT": 1000, "MIN_FILL_SECONDS": 1}
    settings.PORTAL = {**settings.PORTAL, "SITE_URL": site.url}
    return site


def link_in(message, name: str) -> str:
    match = re.search(rf"https?://\S+/bookings/{name}/\S+/", message.body)
    assert match, f"no {name} link in the email"
    return match.group(0)


def calendar_in(message):
    for part in message.attachments:
        if part.get_content_type() == "text/calendar":
            return icalendar.Calendar.from_ical(part.get_content()).walk("VEVENT")[0]
    raise AssertionError("no calendar attached")


def test_book_confirm_cancel_and_the_waiting_person_accepts(page, booking_site):  # noqa: PLR0915 (one journey, told in order)
    from bookings import services
    from bookings.models import Booking, BookingStatus
    from tests.bookings.factories import PrivateVenueEventFactory, occurrence_of

    event = PrivateVenueEventFactory(title="A reading in a safe place", capacity=1)
    occurrence = occurrence_of(event)
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})

    # The booking page, on a phone: one place left, and the form.
    page.goto(f"{booking_site.url}/bookings/{occurrence.pk}/")
    assert "1 place left" in page.content()
    assert SECRET not in page.content()
    assert_accessible(page)
    page.fill("#id_name", "Amira Haddad")
    page.fill("#id_email", "amira@example.org")
    page.fill("#id_access_needs", "A seat near the front")
    page.check("#id_consent")
    page.wait_for_timeout(1100)  # the minimum fill time
    page.get_by_role("button", name="Book my places").click()
    page.wait_for_url("**/bookings/check-your-email/")
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page)

    # The email's link asks for one click, then the booking is confirmed.
    confirm = link_in(mail.outbox[-1], "confirm")
    assert SECRET not in mail.outbox[-1].body
    page.goto(confirm)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my booking").click()
    page.wait_for_url("**/bookings/manage/**")
    assert "Confirmed" in page.content()
    assert SECRET in page.content()  # the manage page, for a confirmed attendee
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]

    # The confirmation email and its calendar file carry the address; the public page does not.
    confirmed = mail.outbox[-1]
    assert "confirmed" in confirmed.subject
    assert SECRET in confirmed.body
    assert SECRET in str(calendar_in(confirmed)["LOCATION"])
    public = page.context.new_page()
    public.goto(booking_site.url + event.get_absolute_url())
    assert SECRET not in public.content()
    public.close()

    # Someone else joins the waiting list and confirms their address.
    outcome = services.booking_submit(
        occurrence=occurrence,
        data={"name": "Bo Chen", "email": "bo@example.org", "places": 1},
        submission_key=uuid.uuid4(),
        privacy_notice_version="1.1",
    )
    assert outcome.booking.status == BookingStatus.WAITING
    services.booking_confirm_email(booking=outcome.booking)

    # The first visitor cancels: the place is offered to the waiting person.
    page.get_by_role("button", name="Cancel my booking").click()
    page.wait_for_load_state()
    assert "Cancelled" in page.content()
    assert SECRET not in page.content()
    offer = next(m for m in reversed(mail.outbox) if m.to == ["bo@example.org"])
    assert "free" in offer.subject
    assert SECRET not in offer.body

    # They accept through the offer's link, and only then see the address.
    waiting_page = page.context.new_page()
    waiting_page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    waiting_page.goto(link_in(offer, "manage"))
    assert SECRET not in waiting_page.content()
    assert_accessible(waiting_page)
    waiting_page.get_by_role("button", name="Accept the place").click()
    waiting_page.wait_for_load_state()
    assert "Confirmed" in waiting_page.content()
    assert SECRET in waiting_page.content()
    assert Booking.objects.get(email="bo@example.org").status == BookingStatus.CONFIRMED
    assert Booking.objects.get(email="amira@example.org").status == BookingStatus.CANCELLED
    assert page.console_errors == []
