"""Issue 14's contact form, attacked: spam that tries the side doors (another language, no
ticket, a replayed one), words made to forge the staff email's headers, input PostgreSQL
refuses, and personal data that must reach neither a log line nor a kept page."""

import logging
import re

import pytest
from django.core import mail
from django.core.cache import caches

from tests.volunteers.conftest import old_ticket
from volunteers import services
from volunteers.models import ContactMessage, QueuedEmail

pytestmark = pytest.mark.django_db

CONTACT = "/contact/"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
SECRET_WORDS = ("Wenceslas", "wenceslas@example.org", "sanctuary", "+441603000111")


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A client whose posts send their emails as the transaction commits, as in production."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


@pytest.fixture
def staff_address(settings):
    settings.PORTAL = settings.PORTAL | {"CONTACT_EMAIL": "team@example.org"}
    return "team@example.org"


@pytest.fixture
def message_data():
    return {
        "name": "Wenceslas Moreau",
        "email": "wenceslas@example.org",
        "subject": "A question",
        "message": "I need sanctuary advice; call me on +441603000111.",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }


# ---------------------------------------------------------------- spam's side doors
def test_the_rate_limit_counts_every_language_together(client, message_data, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 3}
    for prefix in ("", "/ar", "/fa"):
        response = client.post(f"{prefix}{CONTACT}", {**message_data, "ticket": old_ticket()})
        assert response.status_code == 302, prefix
    for prefix in ("", "/ar", "/fa"):
        response = client.post(f"{prefix}{CONTACT}", {**message_data, "ticket": old_ticket()})
        assert response.status_code == 429, prefix
    assert ContactMessage.objects.count() == 3


@pytest.mark.parametrize(
    "ticket", ["", "not-a-ticket", old_ticket()[:-3] + "abc"], ids=["none", "junk", "forged"]
)
def test_no_or_a_forged_ticket_keeps_nothing_and_loses_nothing_typed(client, message_data, ticket):
    response = client.post(CONTACT, {**message_data, "ticket": ticket})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Something went wrong with the form" in html
    assert "Wenceslas Moreau" in html
    assert "call me on +441603000111" in html
    new_ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    assert new_ticket != ticket  # a sound one to send with, once it is old enough
    assert not ContactMessage.objects.exists()


def test_a_replayed_ticket_never_keeps_a_second_message_even_with_other_words(
    client, message_data, staff_address
):
    assert client.post(CONTACT, message_data).status_code == 302
    replay = {**message_data, "name": "Someone Else", "message": "Buy our pills"}
    for prefix in ("", "/ar"):
        assert client.post(f"{prefix}{CONTACT}", replay).status_code == 302
    assert ContactMessage.objects.count() == 1
    assert ContactMessage.objects.get().name == "Wenceslas Moreau"
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- hostile words
def test_header_injection_never_reaches_the_staff_email(client, message_data, staff_address):
    hostile = {
        **message_data,
        "name": "Eve\r\nBcc: list@spam.example\r\n",
        "subject": "Hi\r\nBcc: list@spam.example\nContent-Type: text/html",
        "message": "\r\n\r\nBcc: list@spam.example",
    }
    assert client.post(CONTACT, hostile).status_code == 302
    message = ContactMessage.objects.get()
    assert "\r" not in message.name + message.subject
    assert "\n" not in message.subject
    (email,) = mail.outbox
    assert email.to == [staff_address]
    assert (email.cc, email.bcc, email.reply_to) == ([], [], [])
    raw = email.message().as_string()
    assert "spam.example" not in raw
    assert "Eve" not in raw


@pytest.mark.parametrize("field", ["name", "email", "subject", "message"])
def test_a_nul_in_any_field_is_a_message_never_an_error(client, message_data, field):
    response = client.post(CONTACT, {**message_data, field: message_data[field] + "\x00"})
    assert response.status_code == 200
    assert response.context["error_summary"]
    assert not ContactMessage.objects.exists()


# ---------------------------------------------------------------- personal data's copies
def test_no_log_line_ever_holds_the_persons_words(
    client, message_data, staff_address, caplog, admin_client
):
    caplog.set_level(logging.DEBUG)
    client.post(CONTACT, {**message_data, "consent": ""})  # a mistake first
    client.post(CONTACT, message_data)
    client.post(CONTACT, message_data)  # the double click
    assert ContactMessage.objects.count() == 1
    admin_client.get(f"/admin/volunteers/contactmessage/?q={message_data['email']}")
    services.contact_message_erase_person(email="WENCESLAS@example.org")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in SECRET_WORDS:
        assert secret not in logged, secret
    assert not ContactMessage.objects.exists()
    assert not QueuedEmail.objects.exists()


def test_a_form_with_mistakes_is_never_kept_for_the_next_visitor(client, message_data, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": LOCMEM, "LOCATION": "contact-adversarial"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "contact-adversarial-fragments"},
    }
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["fragments"].clear()
    for prefix in ("", "/ar"):
        mistaken = client.post(f"{prefix}{CONTACT}", {**message_data, "consent": ""})
        assert "no-store" in mistaken["Cache-Control"] or "private" in mistaken["Cache-Control"]
        for path in (f"{prefix}{CONTACT}", f"{prefix}{CONTACT}thanks/"):
            html = client.get(path).content.decode()
            for secret in SECRET_WORDS:
                assert secret not in html, (path, secret)
    caches["default"].clear()
    caches["fragments"].clear()


def test_a_busy_shared_network_loses_nothing_it_wrote(client, message_data, settings):
    """A school's network can reach the limit: the refusal gives the message back, to copy
    and send later, and keeps nothing."""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 1}
    client.post(CONTACT, {**message_data, "ticket": old_ticket()})
    written = "Could a writer visit <our> school?\nWe are in Norwich & Thetford."
    refused = client.post("/ar" + CONTACT, {**message_data, "message": written})
    assert refused.status_code == 429
    html = refused.content.decode()
    assert re.search(
        r'<label[^>]*for="typed-message"[^>]*>[^<]+</label>\s*<textarea[^>]*id="typed-message"'
        r"[^>]*readonly[^>]*>Could a writer visit &lt;our&gt; school\?\nWe are in Norwich "
        r"&amp; Thetford.</textarea>",
        html,
    )
    assert "no-store" in refused["Cache-Control"]
    assert ContactMessage.objects.count() == 1
