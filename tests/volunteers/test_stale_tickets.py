"""A form's ticket is taken for FORM_TICKET_HOURS after the form was shown: an older post
(a form left open for days, or a post replayed once its record was erased) is asked to
be sent again, with every answer kept and a new ticket, and nothing is stored."""

import re

import pytest
from django.urls import reverse

from bookings.models import Booking
from tests.volunteers.conftest import old_ticket
from volunteers.models import ContactMessage, VolunteerApplication

pytestmark = pytest.mark.django_db

MESSAGE = "This form was open for a long time, so please send it again"
DAY = 24 * 60 * 60


def resent(client, url: str, data: dict, model) -> tuple[str, str]:
    response = client.post(url, {**data, "ticket": old_ticket(seconds_ago=DAY + 60)})
    html = response.content.decode()
    assert response.status_code == 200
    assert MESSAGE in html
    assert not model.objects.exists()
    fresh = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    assert fresh != data["ticket"]
    return html, fresh


def test_an_old_volunteer_form_is_sent_again_with_everything_kept(client, form_data):
    url = "/volunteer/apply/"
    html, _fresh = resent(client, url, form_data, VolunteerApplication)
    assert 'value="Amira Haddad"' in html
    assert "I have stewarded at the Norwich Arts Centre." in html
    # Sent again with the new ticket (once it is older than the minimum fill time), it goes.
    response = client.post(url, {**form_data, "ticket": old_ticket(seconds_ago=60)})
    assert response.status_code == 302
    assert VolunteerApplication.objects.count() == 1


def test_a_ticket_within_its_hours_is_taken(client, form_data, settings):
    settings.FORM_TICKET_HOURS = 48
    response = client.post(
        "/volunteer/apply/", {**form_data, "ticket": old_ticket(seconds_ago=DAY + 60)}
    )
    assert response.status_code == 302
    assert VolunteerApplication.objects.count() == 1


def test_an_old_contact_form_is_sent_again(client, roles):
    data = {
        "name": "Jiao Wen",
        "email": "jiao@example.org",
        "subject": "A school visit",
        "message": "Can schools book a workshop?",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }
    html, _fresh = resent(client, "/contact/", data, ContactMessage)
    assert "Can schools book a workshop?" in html


def test_an_old_booking_form_is_sent_again(client):
    from tests.bookings.factories import BookableEventFactory, occurrence_of

    occurrence = occurrence_of(BookableEventFactory(capacity=10))
    data = {
        "name": "Amira Haddad",
        "email": "amira@example.org",
        "places": "2",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }
    url = reverse("bookings:book", kwargs={"occurrence": occurrence.pk})
    html, _fresh = resent(client, url, data, Booking)
    assert 'value="Amira Haddad"' in html
