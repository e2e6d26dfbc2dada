"""A booking speaks its visitor's language: every email and calendar file, whoever sends it.

The language is the one the booking form was sent in (its address: ``/ar/…``,
``/fa/…``, English unprefixed), kept with the booking, so a reminder sent by cron
(in English) is still in Arabic, and its links lead to the Arabic pages.
"""

import datetime
import re
import time

import icalendar
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from bookings import services, tokens
from bookings.emails import send_booking_emails
from bookings.models import Booking, BookingEmail, BookingStatus, EmailKind, supported_language
from events.models import Event
from tests.bookings.factories import (
    BookableEventFactory,
    BookingFactory,
    PrivateVenueEventFactory,
    occurrence_of,
)
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
# Arabic and Persian share this block of Unicode.
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def old_ticket() -> str:
    ticket = tokens.FormTicket.issue("1.0")
    return tokens.FormTicket(ticket.key, time.time() - 60, "1.0").dumps()


def form_data(**overrides) -> dict:
    data = {
        "name": "Amira Haddad",
        "email": "amira@example.org",
        "places": "1",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }
    data.update(overrides)
    return data


def links_in(message) -> list[str]:
    """Every link to the site in a message, text and HTML, as paths."""
    text = message.body + message.alternatives[0].content
    return re.findall(r"http://testserver(/[^\s\"<]*)", text)


def dear(language: str, name: str) -> str:
    with translation.override(language):
        return translation.gettext("Dear %(name)s,") % {"name": name}


def book_from(client, prefix: str, occurrence, capture, **data) -> Booking:
    """Send the booking form from the page at ``prefix`` (``""``, ``"/ar"``, ``"/fa"``)."""
    address = prefix + f"/bookings/{occurrence.pk}/"
    with capture(execute=True):
        response = client.post(address, form_data(**data))
    assert response.status_code == 302
    assert response["Location"].startswith(prefix + "/bookings/check-your-email/")
    return Booking.objects.get(email=data.get("email", "amira@example.org"))


def confirm_then_remind_from_cron(booking, capture) -> list:
    """Confirm the booking's address, then let cron (in English) send the reminder."""
    with capture(execute=True):
        services.booking_confirm_email(booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.reminder_sent_at is None
    # The date is a week away: bring the reminder's window to now.
    Event.objects.filter(pk=booking.occurrence.event_id).update(reminder_hours=24 * 8)
    mail.outbox.clear()
    with translation.override("en-gb"):
        call_command("run_bookings", stdout=None)
    return [message for message in mail.outbox if message.to == [booking.email]]


# ---------------------------------------------------------------- the stored language
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ar", "ar"),
        ("fa", "fa"),
        ("en-gb", "en-gb"),
        ("en", "en-gb"),  # a near miss is matched to the variant the site lists
        ("en-us", "en-gb"),
        ("ar-eg", "ar"),
        ("de", "en-gb"),  # a language the site does not speak: the default
        ("xx", "en-gb"),
        ("", "en-gb"),
        (None, "en-gb"),
    ],
)
def test_only_the_site_s_languages_are_used(code, expected):
    assert supported_language(code) == expected


@pytest.mark.parametrize(("prefix", "language"), [("", "en-gb"), ("/ar", "ar"), ("/fa", "fa")])
def test_a_booking_keeps_the_language_of_the_page_it_was_made_on(
    client, prefix, language, django_capture_on_commit_callbacks
):
    occurrence = occurrence_of(BookableEventFactory())
    booking = book_from(client, prefix, occurrence, django_capture_on_commit_callbacks)
    assert booking.language == language
    (message,) = mail.outbox
    assert dear(language, "Amira Haddad") in message.body
    confirm_links = [link for link in links_in(message) if "/confirm/" in link]
    assert confirm_links
    assert all(link.startswith(prefix + "/bookings/confirm/") for link in confirm_links)


# ---------------------------------------------------------------- emails from cron
def test_booked_in_arabic_the_cron_reminder_is_arabic_with_arabic_links(
    client, django_capture_on_commit_callbacks
):
    occurrence = occurrence_of(BookableEventFactory(title="Letters to Europe"))
    booking = book_from(client, "/ar", occurrence, django_capture_on_commit_callbacks)
    (reminder,) = confirm_then_remind_from_cron(booking, django_capture_on_commit_callbacks)
    with translation.override("ar"):
        subject = translation.gettext("Reminder: %(title)s") % {"title": "Letters to Europe"}
    assert reminder.subject == subject
    assert reminder.subject.startswith("تذكير")
    assert dear("ar", "Amira Haddad") in reminder.body
    assert "Dear" not in reminder.body
    assert '<html lang="ar" dir="rtl">' in reminder.alternatives[0].content
    paths = links_in(reminder)
    assert paths
    assert all(path.startswith("/ar/bookings/") for path in paths), paths
    # The link opens the Arabic page.
    manage = next(path for path in paths if "/manage/" in path)
    page = client.get(manage)
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl"' in page.content.decode()


def test_booked_in_english_the_cron_reminder_is_english_with_english_links(
    client, django_capture_on_commit_callbacks
):
    occurrence = occurrence_of(BookableEventFactory(title="Letters to Europe"))
    booking = book_from(client, "", occurrence, django_capture_on_commit_callbacks)
    # Even if whatever sends it happens to be speaking Arabic.
    with translation.override("ar"):
        (reminder,) = confirm_then_remind_from_cron(booking, django_capture_on_commit_callbacks)
    assert reminder.subject == "Reminder: Letters to Europe"
    assert "Dear Amira Haddad," in reminder.body
    assert not ARABIC_SCRIPT.search(reminder.body)
    assert '<html lang="en-GB" dir="ltr">' in reminder.alternatives[0].content
    paths = links_in(reminder)
    assert paths
    assert all(path.startswith("/bookings/") for path in paths), paths


@pytest.mark.parametrize("stored", ["", "xx", "de", "zh-hans"])
def test_a_missing_or_unknown_language_falls_back_to_english(stored):
    booking = BookingFactory(language=stored)
    services.queue_email(booking=booking, kind=EmailKind.REMINDER)
    with translation.override("fa"):
        assert send_booking_emails() == (1, 0)
    (message,) = mail.outbox
    assert message.subject.startswith("Reminder: ")
    assert f"Dear {booking.name}," in message.body
    assert not ARABIC_SCRIPT.search(message.body)
    assert all(path.startswith("/bookings/") for path in links_in(message))


@pytest.mark.parametrize("kind", EmailKind.values)
def test_every_kind_of_email_speaks_the_booking_s_language(kind):
    """Persian, sent while Arabic is active: the booking's language wins, links included."""
    occurrence = occurrence_of(PrivateVenueEventFactory())
    offered = {"offered": True} if kind == EmailKind.OFFER else {}
    booking = BookingFactory(occurrence=occurrence, language="fa", **offered)
    BookingEmail.objects.create(booking=booking, kind=kind, details={"by": "staff"})
    with translation.override("ar"):
        assert send_booking_emails() == (1, 0)
        assert translation.get_language() == "ar"  # the sender's language is left as it was
    (message,) = mail.outbox
    assert dear("fa", booking.name) in message.body
    assert dear("ar", booking.name) not in message.body
    assert ARABIC_SCRIPT.search(message.subject)
    assert '<html lang="fa" dir="rtl">' in message.alternatives[0].content
    assert all(path.startswith("/fa/bookings/") for path in links_in(message))


def test_an_offer_and_the_venue_details_from_cron_speak_the_visitor_s_language():
    # A free place and someone waiting for it (staff raised the capacity, say).
    occurrence = occurrence_of(PrivateVenueEventFactory(capacity=1))
    waiting = BookingFactory(occurrence=occurrence, language="fa", waiting=True)
    # A confirmed attendee whose private address is now due.
    confirmed = BookingFactory(
        occurrence=occurrence_of(PrivateVenueEventFactory(venue_release_hours=24 * 8)),
        language="ar",
    )
    with translation.override("en-gb"):
        call_command("run_bookings", stdout=None)
    by_address = {message.to[0]: message for message in mail.outbox}
    offer = by_address[waiting.email]
    assert dear("fa", waiting.name) in offer.body
    assert all(path.startswith("/fa/bookings/") for path in links_in(offer))
    venue = by_address[confirmed.email]
    assert dear("ar", confirmed.name) in venue.body
    assert "Secret Row" in venue.body
    assert all(path.startswith("/ar/bookings/") for path in links_in(venue))


def test_an_already_booked_email_speaks_the_language_of_the_new_form(
    client, django_capture_on_commit_callbacks
):
    occurrence = occurrence_of(BookableEventFactory())
    earlier = BookingFactory(occurrence=occurrence, email="amira@example.org", language="en-gb")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/fa/bookings/{occurrence.pk}/", form_data())
    (message,) = mail.outbox
    assert dear("fa", earlier.name) in message.body
    assert all(path.startswith("/fa/bookings/") for path in links_in(message))
    assert Booking.objects.get().language == "en-gb"  # the booking's own is unchanged


# ---------------------------------------------------------------- the calendar file
def manage_link_of(calendar: icalendar.Calendar) -> str:
    (item,) = calendar.walk("VEVENT")
    return str(item["url"])


def test_the_personal_calendar_links_to_the_visitor_s_language_wherever_fetched(client):
    booking = BookingFactory(language="ar")
    token = tokens.make_link_token(booking.public_id, tokens.CALENDAR)
    # Fetched at the English address (say, a calendar app that dropped the prefix).
    response = client.get(reverse("bookings:ics", kwargs={"token": token}))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert manage_link_of(calendar).startswith("http://testserver/ar/bookings/manage/")
    # And the copy attached to an email.
    services.queue_email(booking=booking, kind=EmailKind.CONFIRMED)
    send_booking_emails()
    (message,) = mail.outbox
    (attachment,) = [a for a in message.attachments if a.get_content_type() == "text/calendar"]
    attached = icalendar.Calendar.from_ical(attachment.get_content())
    assert manage_link_of(attached).startswith("http://testserver/ar/bookings/manage/")


# ---------------------------------------------------------------- staff stay in English
def test_staff_cancel_in_english_and_the_visitor_is_told_in_arabic(
    client, admin_user, django_capture_on_commit_callbacks
):
    booking = BookingFactory(language="ar")
    verify_second_factor(client, admin_user)
    data = {
        "action": ["cancel_with_message"],
        "_selected_action": [str(booking.pk)],
        "message": ["The room is smaller than we thought. Sorry!"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/bookings/booking/", data, follow=True)
    page = response.content.decode()
    assert "1 booking cancelled" in page
    assert '<html lang="en-gb"' in page
    (message,) = mail.outbox
    assert dear("ar", booking.name) in message.body
    assert "The room is smaller than we thought. Sorry!" in message.body  # as staff wrote it
    assert all(path.startswith("/ar/bookings/") for path in links_in(message))
