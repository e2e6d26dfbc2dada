"""Nothing is lost when the mail server is down: the application stays, the retry sends."""

import io
import socket

import pytest
from django.core import mail
from django.core.management import call_command

from volunteers.models import QueuedEmail, VolunteerApplication


@pytest.fixture
def closed_port():
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server_down(settings, closed_port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 2},
        }
    }


@pytest.mark.django_db
def test_mail_server_down_keeps_application_and_retry_sends(
    client, form_data, settings, mail_server_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/volunteer/apply/", form_data)
    # The visitor still gets the thanks page, and nothing is lost.
    assert response.status_code == 302
    assert response["Location"] == "/volunteer/thanks/"
    application = VolunteerApplication.objects.get()
    queued = QueuedEmail.objects.get()
    assert queued.application == application
    assert queued.attempts == 1
    assert queued.sent_at is None
    assert queued.last_error == "ConnectionRefusedError"

    # Still down: the retry command says so, and keeps the email.
    with pytest.raises(SystemExit):
        call_command("send_volunteer_emails", stdout=io.StringIO())
    assert QueuedEmail.objects.get().attempts == 2

    # The server is back.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    out = io.StringIO()
    call_command("send_volunteer_emails", stdout=out)
    assert "1 sent, 0 still queued" in out.getvalue()
    assert not QueuedEmail.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["amira@example.org"]
    assert "/volunteer/confirm/" in message.body
    # Running it again sends nothing twice.
    call_command("send_volunteer_emails", stdout=io.StringIO())
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_emails_have_text_and_html_parts_from_templates(
    client, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteer/apply/", form_data)
    (message,) = mail.outbox
    assert message.subject == "Please confirm your volunteer application to Norwich, City of Refuge"
    assert message.body.startswith("Dear Amira Haddad,")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert "<p>Dear Amira Haddad,</p>" in html
    assert message.from_email == "webmaster@localhost"


@pytest.mark.django_db
def test_names_are_escaped_in_html_email_but_not_in_text(
    client, form_data, django_capture_on_commit_callbacks
):
    form_data["name"] = "Amira <b>Haddad</b>"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteer/apply/", form_data)
    (message,) = mail.outbox
    assert "Dear Amira <b>Haddad</b>," in message.body
    assert "Amira &lt;b&gt;Haddad&lt;/b&gt;" in message.alternatives[0][0]
