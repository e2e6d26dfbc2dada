"""A development mail backend that prints emails as people read them.

Django's console backend prints the raw MIME message: quoted-printable text,
base64 attachments, encoded subjects. Staff trying a confirmation link in
development want the words and the links, so this one prints the headers
decoded, the plain-text part as text, and one line per alternative or
attachment (its type, name and size) instead of its encoded body.
"""

from email import policy
from email.parser import BytesParser

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date")


class ReadableConsoleEmailBackend(ConsoleEmailBackend):
    def write_message(self, message):
        parsed = BytesParser(policy=policy.default).parsebytes(message.message().as_bytes())
        lines = [f"{name}: {parsed[name]}" for name in SHOWN_HEADERS if parsed[name]]
        text_shown = False
        for part in parsed.walk():
            if part.is_multipart():
                continue
            content_type = part.get_content_type()
            filename = part.get_filename()
            if content_type == "text/plain" and not filename and not text_shown:
                lines += ["", part.get_content().rstrip()]
                text_shown = True
                continue
            size = len(part.get_payload(decode=True) or b"")
            label = f" {filename}" if filename else ""
            lines.append(f"[{content_type}{label}, {size:,} bytes not shown]")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.write("-" * 79 + "\n")
