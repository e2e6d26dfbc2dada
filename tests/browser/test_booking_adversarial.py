"""A real browser on the pages whose address holds a booking's token: nothing they load
or link to automatically goes to another site, so no Referer carries the token away
(issue 15)."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from bookings import tokens

pytestmark = pytest.mark.browser


def test_pages_with_a_token_load_nothing_from_another_site(page, live_server, transactional_db):
    from tests.bookings.factories import BookingFactory, PrivateVenueEventFactory, occurrence_of

    occurrence = occurrence_of(PrivateVenueEventFactory(capacity=5, venue_release_hours=None))
    confirmed = BookingFactory(occurrence=occurrence)
    held = BookingFactory(occurrence=occurrence, held=True)
    addresses = [
        reverse(
            "bookings:manage",
            kwargs={"token": tokens.make_link_token(confirmed.public_id, tokens.MANAGE)},
        ),
        reverse(
            "bookings:confirm",
            kwargs={"token": tokens.make_link_token(held.public_id, tokens.CONFIRM)},
        ),
        reverse("bookings:book", kwargs={"occurrence": occurrence.pk}),
    ]
    ours = urlsplit(live_server.url).netloc
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for address in addresses:
        response = page.goto(live_server.url + address)
        assert response.status == 200, address
        assert response.headers.get("referrer-policy") in ("same-origin", "no-referrer")
        page.wait_for_load_state("networkidle")
    elsewhere = [
        url for url in requested if url.startswith("http") and urlsplit(url).netloc != ours
    ]
    assert elsewhere == []
    # The manage page shows the address to its owner (the test looked at the right page).
    page.goto(live_server.url + addresses[0])
    assert "Secret Row" in page.content()
