"""Personal data never reaches the logs: applying, failing to mail, confirming or leaving."""

import logging
import re
import socket

import pytest

from volunteers.models import VolunteerApplication

PERSONAL = ["Amira", "Haddad", "amira@example.org", "01603 123456", "stewarded", "NR2"]


@pytest.mark.django_db
def test_no_personal_data_in_logs_across_the_whole_journey(
    client, form_data, settings, caplog, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/volunteer/apply/", form_data)  # mail fails: a warning is logged
        client.post("/volunteer/apply/", form_data)  # the same form again
        form_data["ticket"] = form_data["ticket"][:-2] + "xx"
        client.post("/volunteer/apply/", form_data)
    application = VolunteerApplication.objects.get()
    from volunteers.tokens import CONFIRM, WITHDRAW, make_link_token

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/volunteer/confirm/{make_link_token(application.public_id, CONFIRM)}/")
        client.post(f"/volunteer/withdraw/{make_link_token(application.public_id, WITHDRAW)}/")
    assert not VolunteerApplication.objects.exists()

    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    assert "not sent" in logged  # the mail failure was logged…
    assert re.search(r"Application #\d+ received", logged)
    for value in PERSONAL:
        assert value not in logged, f"{value!r} reached the logs"  # …without personal data
