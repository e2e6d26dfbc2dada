import io

from django.core.mail import EmailMultiAlternatives

from core.mail import ReadableConsoleEmailBackend


def test_development_emails_print_decoded_text_and_list_attachments():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Confirmez votre réservation — « Shahrazad »",
        body="Bonjour Zoë,\nconfirm here: https://example.org/bookings/confirm/abc%3D%3D/\n" * 3,
        from_email="portal@example.org",
        to=["zoë@example.org"],
    )
    message.attach_alternative("<p>Bonjour Zoë</p>", "text/html")
    message.attach("reading.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    ReadableConsoleEmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert "Subject: Confirmez votre réservation — « Shahrazad »" in printed
    assert "Bonjour Zoë,\nconfirm here: https://example.org/bookings/confirm/abc%3D%3D/" in printed
    assert "=C3=AB" not in printed  # nothing left quoted-printable
    assert "=?utf-8?" not in printed
    assert "[text/html, " in printed
    assert "[text/calendar reading.ics, " in printed
    assert "BEGIN:VCALENDAR" not in printed
