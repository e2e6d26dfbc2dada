"""The "Subscribe to our calendar" page (issue 14): every feed, its https address, a
webcal:// link, a QR code drawn here, and how to subscribe in each calendar app."""

import base64
import re
from urllib.parse import urlsplit

import icalendar
import pytest

from events.feeds import qr_code_data_uri
from tests.events.factories import EventFactory
from tests.programme.factories import StrandFactory

pytestmark = pytest.mark.django_db


def page(client, path="/events/subscribe/"):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def addresses(content):
    return re.findall(r'id="feed-[^"]+-address" value="([^"]+)"', content)


def test_every_feed_is_offered_with_an_https_address_and_a_webcal_link(client, db):
    StrandFactory(title="Shahrazad", slug="shahrazad")
    StrandFactory(title="Draft strand", slug="draft-strand", status="draft")
    content = page(client)
    assert addresses(content) == [
        "https://testserver/events/feed.ics",
        "https://testserver/events/feed/shahrazad.ics",
    ]
    assert 'href="webcal://testserver/events/feed.ics"' in content
    assert 'href="webcal://testserver/events/feed/shahrazad.ics"' in content
    assert "draft-strand" not in content


def test_each_address_is_read_only_and_selectable_and_copy_needs_javascript(client, db):
    content = page(client)
    field = re.search(r'<input[^>]+id="feed-all-address"[^>]*>', content).group(0)
    assert "readonly" in field
    assert 'type="text"' in field
    assert "disabled" not in field  # selectable without JavaScript
    button = re.search(r'<button[^>]+data-copy-target="feed-all-address"[^>]*>', content).group(0)
    assert " hidden" in button  # shown by static/js/copy-address.js only
    assert 'data-copied="Copied"' in button
    assert 'id="feed-all-status" role="status"' in content
    assert "/static/js/copy-address" in content
    assert "<script>" not in content  # nothing inline: the CSP forbids it


def test_the_qr_codes_are_svg_drawn_here_of_the_https_address(client, db):
    content = page(client)
    sources = re.findall(r'<img class="calendar-feed__qr" src="([^"]+)"[^>]*alt="([^"]+)"', content)
    assert sources, "no QR code"
    src, alt = sources[0]
    assert src == qr_code_data_uri("https://testserver/events/feed.ics")
    svg = base64.b64decode(src.removeprefix("data:image/svg+xml;base64,"))
    assert b"<svg" in svg
    assert b"<path" in svg
    assert "QR code" in alt
    assert "All events" in alt
    assert "http" not in re.sub(
        r'(src|href|value)="[^"]*"', "", content.split("<main", 1)[1]
    ).replace("calendar.google.com", "")  # no third-party images or scripts


def test_the_page_explains_google_apple_and_outlook(client, db):
    content = page(client)
    for heading in (
        "Google Calendar",
        "Apple Calendar on iPhone or iPad",
        "Apple Calendar on a Mac",
        "Outlook",
    ):
        assert re.search(rf"<h3 id=\"steps-[a-z]+\">{re.escape(heading)}</h3>\s*<ol>", content), (
            heading
        )


def test_the_https_address_returns_a_valid_calendar(client, db):
    EventFactory(title="Evening of letters")
    address = addresses(page(client))[0]
    parts = urlsplit(address)
    assert parts.scheme == "https"
    response = client.get(parts.path, secure=True)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")] == ["Evening of letters"]


def test_the_events_list_and_an_event_link_to_the_page(client, db):
    event = EventFactory(title="Evening of letters")
    assert 'href="/events/subscribe/"' in page(client, "/events/")
    assert 'href="/events/subscribe/"' in page(client, event.get_absolute_url())


def test_the_page_speaks_arabic_right_to_left(client, db):
    content = page(client, "/ar/events/subscribe/")
    assert re.search(r'<html[^>]+dir="rtl"', content)
    assert 'value="https://testserver/ar/events/feed.ics"' in content  # the Arabic feed
    assert 'dir="ltr"' in re.search(r'<input[^>]+id="feed-all-address"[^>]*>', content).group(0)


def test_the_page_makes_the_same_few_queries_at_any_size(client, db, django_assert_max_num_queries):
    StrandFactory()
    with django_assert_max_num_queries(4) as small:
        page(client)
    for _ in range(20):
        StrandFactory()
    with django_assert_max_num_queries(4) as large:
        content = page(client)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(addresses(content)) == 22


@pytest.mark.html  # starts Java (the Nu Html Checker)
def test_the_page_is_valid_html(client, demo_content, tmp_path):
    from tests.html_validator import html_errors

    urls = ["/events/subscribe/", "/ar/events/subscribe/", "/events/"]
    pages = {url: client.get(url).content.decode() for url in urls}
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
