"""The visitor's booking pages are valid HTML5 (Nu Html Checker), errors showing included."""

import pytest

from bookings import tokens
from tests.bookings.factories import BookingFactory, PrivateVenueEventFactory, occurrence_of
from tests.html_validator import html_errors

pytestmark = pytest.mark.html  # starts Java (the Nu Html Checker)


@pytest.mark.django_db
def test_booking_pages_are_valid_html(client, tmp_path):
    occurrence = occurrence_of(PrivateVenueEventFactory())
    confirmed = BookingFactory(occurrence=occurrence)
    held = BookingFactory(occurrence=occurrence, held=True)
    offered = BookingFactory(occurrence=occurrence, offered=True)

    def link(booking, purpose, name):
        token = tokens.make_link_token(booking.public_id, purpose)
        return f"/bookings/{name}/{token}/"

    book = f"/bookings/{occurrence.pk}/"
    pages = {
        url: client.get(url).content.decode()
        for url in [
            book,
            "/bookings/check-your-email/",
            link(held, tokens.CONFIRM, "confirm"),
            link(confirmed, tokens.MANAGE, "manage"),
            link(offered, tokens.MANAGE, "manage"),
            "/bookings/manage/tampered/",
        ]
    }
    pages["book with errors"] = client.post(book, {"name": "x"}).content.decode()
    assert "There is a problem" in pages["book with errors"]
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
