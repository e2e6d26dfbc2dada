"""Issue 14: "Apply for this role", the thanks page's address, "Send it again", "Start again".

The address on the thanks page comes from a signed, short-lived cookie only that page
receives: never the URL, never a session row, never a page a cache keeps.
"""

import re
import socket
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail, signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory
from volunteers import thanks
from volunteers.models import PurgedApplicationCount, QueuedEmail, VolunteerApplication

APPLY = "/volunteer/apply/"
THANKS = "/volunteer/thanks/"

pytestmark = pytest.mark.django_db


def checked_roles(html: str) -> set[str]:
    return {
        re.search(r'value="(\d+)"', tag).group(1)
        for tag in re.findall(r"<input[^>]*name=\"roles\"[^>]*>", html)
        if " checked" in tag
    }


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
def mail_server_down(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


def apply(client, form_data, **changes):
    response = client.post(APPLY, {**form_data, **changes})
    assert response.status_code == 302, response.context and response.context["error_summary"]
    return response


# ---------------------------------------------------------------- "Apply for this role"
def test_each_role_has_its_own_apply_link_naming_it(client, roles):
    roles[0].title = "Steward & guide"
    roles[0].save()
    html = client.get("/volunteer/").content.decode()
    for role, name in ((roles[0], "Steward &amp; guide"), (roles[1], roles[1].title)):
        link = re.search(rf'<a [^>]*href="/volunteer/apply/\?role={role.slug}"[^>]*>', html)
        assert link, role.slug
        assert f'aria-label="Apply for this role: {name}"' in link.group(0)
    assert html.count(">Apply for this role</a>") == 2


def test_a_unicode_slug_is_encoded_in_the_link_and_ticks_its_role(client, roles):
    role = VolunteerRoleFactory(title="مترجم", slug="مترجم-عربي")
    html = client.get("/volunteer/").content.decode()
    assert 'href="/volunteer/apply/?role=%D9%85%D8%AA%D8%B1' in html
    response = client.get(APPLY, {"role": role.slug})
    assert checked_roles(response.content.decode()) == {str(role.pk)}


def test_role_parameters_tick_their_boxes_and_unknown_or_closed_ones_are_ignored(client, roles):
    closed = VolunteerRoleFactory(slug="closed-role", is_active=False)
    response = client.get(
        APPLY + f"?role={roles[0].slug}&role=no-such-role&role={closed.slug}&role={roles[1].slug}"
    )
    assert response.status_code == 200
    assert checked_roles(response.content.decode()) == {str(roles[0].pk), str(roles[1].pk)}
    assert client.get(APPLY + "?role=no-such-role").status_code == 200
    assert checked_roles(client.get(APPLY + "?role=no-such-role").content.decode()) == set()
    assert checked_roles(client.get(APPLY).content.decode()) == set()


def test_a_posted_choice_wins_over_the_address(client, form_data, roles):
    form_data.update(email="bad", roles=[str(roles[1].pk)])
    response = client.post(APPLY + f"?role={roles[0].slug}", form_data)
    assert checked_roles(response.content.decode()) == {str(roles[1].pk)}


# ---------------------------------------------------------------- the DBS question
def test_the_dbs_question_is_there_without_javascript_saying_whom_it_is_for(client, roles):
    html = client.get(APPLY).content.decode()
    assert 'id="dbs-question"' in html
    assert "Only if you chose Mentor for young writers: do you hold a current DBS check?" in html
    assert not re.search(r'id="dbs-question"[^>]*\shidden[\s>=]', html)  # only the script hides it
    assert 'id="dbs-status"' in html
    assert 'role="status"' in html


def test_no_dbs_answer_needed_for_a_role_without_children(client, form_data, roles):
    del form_data["dbs_check"]
    apply(client, form_data)
    assert VolunteerApplication.objects.get().dbs_check == ""


def test_a_dbs_answer_is_asked_for_a_role_with_children(client, form_data, roles):
    del form_data["dbs_check"]
    form_data["roles"] = [str(roles[1].pk)]
    response = client.post(APPLY, form_data)
    assert response.status_code == 200
    assert ("id_dbs_check_0", "Tell us whether you hold a current DBS check.") in response.context[
        "error_summary"
    ]
    form_data["dbs_check"] = "yes"
    apply(client, form_data)
    assert VolunteerApplication.objects.get().dbs_check == "yes"


# ---------------------------------------------------------------- the thanks page
def test_thanks_repeats_the_address_from_a_cookie_only_it_receives(client, form_data):
    response = apply(client, form_data)
    assert response["Location"] == THANKS
    assert "amira" not in response["Location"]
    cookie = response.cookies[thanks.COOKIE]
    assert cookie["path"] == THANKS
    assert cookie["httponly"]
    assert int(cookie["max-age"]) == 30 * 60
    assert "amira@example.org" not in cookie.value  # signed and compressed, not plain
    page = client.get(THANKS)
    html = page.content.decode()
    assert "amira@example.org</strong>" in html
    assert "no-cache" in page["Cache-Control"] or "private" in page["Cache-Control"]
    assert ">Send it again</button>" in html
    assert ">Start again</button>" in html
    assert not Session.objects.exists()


def test_thanks_without_a_cookie_or_with_a_forged_one_names_no_address(client):
    html = client.get(THANKS).content.decode()
    assert "Please check your email" in html
    assert "Send it again" not in html
    client.cookies[thanks.COOKIE] = signing.dumps({"e": "x@example.org", "a": "", "r": []})
    html = client.get(THANKS).content.decode()
    assert "x@example.org" not in html


def test_the_cookie_expires_after_thirty_minutes(client, form_data, monkeypatch):
    apply(client, form_data)
    now = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: now + 31 * 60)
    assert "amira@example.org" not in client.get(THANKS).content.decode()


def test_no_session_row_anywhere_in_the_flow(client, form_data):
    with CaptureQueriesContext(connection) as queries:
        client.get(APPLY)
        apply(client, form_data)
        client.get(THANKS)
        client.post(THANKS, {"action": "send-again"})
        client.get(THANKS)
    assert not [q for q in queries if "django_session" in q["sql"] and "INSERT" in q["sql"]]
    assert not Session.objects.exists()


def test_send_it_again_requeues_the_confirmation_through_the_outbox(client, form_data):
    apply(client, form_data)
    assert len(mail.outbox) == 1
    response = client.post(THANKS, {"action": "send-again"})
    assert response.status_code == 302
    assert response["Location"] == THANKS
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["amira@example.org"]
    assert "/volunteer/confirm/" in mail.outbox[1].body
    html = client.get(THANKS).content.decode()
    assert "We have sent it again to" in html


def test_send_it_again_while_mail_is_down_keeps_one_copy_queued(
    client, form_data, mail_server_down
):
    apply(client, form_data)
    client.post(THANKS, {"action": "send-again"})
    client.post(THANKS, {"action": "send-again"})
    application = VolunteerApplication.objects.get()
    assert list(QueuedEmail.objects.unsent().values_list("kind", "application")) == [
        ("confirm", application.pk)
    ]


def test_send_it_again_for_a_confirmed_address_sends_the_already_applied_email(client, form_data):
    VolunteerApplicationFactory(email="amira@example.org")
    apply(client, form_data)
    client.post(THANKS, {"action": "send-again"})
    assert [message.to for message in mail.outbox] == [["amira@example.org"]] * 2
    assert "/volunteer/confirm/" not in mail.outbox[1].body


def test_send_it_again_is_rate_limited_with_a_clear_message(client, form_data, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RESEND_LIMIT": 2}
    apply(client, form_data)
    for _ in range(2):
        assert client.post(THANKS, {"action": "send-again"}).status_code == 302
    limited = client.post(THANKS, {"action": "send-again"})
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    html = limited.content.decode()
    assert "we have paused sending for a while" in html
    assert 'role="alert"' in html
    assert "amira@example.org" in html  # still says where it went
    assert len(mail.outbox) == 3


def test_send_it_again_without_the_cookie_sends_nothing(client, form_data):
    VolunteerApplicationFactory(email="amira@example.org", email_confirmed_at=None)
    response = client.post(THANKS, {"action": "send-again"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_start_again_withdraws_the_unconfirmed_application_and_keeps_the_roles(
    client, form_data, roles
):
    form_data["roles"] = [str(roles[0].pk), str(roles[1].pk)]
    form_data["email"] = "amria@example.org"  # the typo
    apply(client, form_data)
    application = VolunteerApplication.objects.get()
    response = client.post(THANKS, {"action": "start-again"})
    assert response.status_code == 302
    assert response["Location"] == f"{APPLY}?role={roles[0].slug}&role={roles[1].slug}"
    assert response.cookies[thanks.COOKIE].value == ""
    assert not VolunteerApplication.objects.filter(pk=application.pk).exists()
    assert PurgedApplicationCount.objects.get().reason == "withdrawn"
    form = client.get(response["Location"]).content.decode()
    assert checked_roles(form) == {str(roles[0].pk), str(roles[1].pk)}
    # The address is no longer remembered.
    assert "amria@example.org" not in client.get(THANKS).content.decode()


def test_start_again_never_touches_a_confirmed_or_earlier_application(client, form_data):
    earlier = VolunteerApplicationFactory(email="amira@example.org")
    apply(client, form_data)  # the same address again: nothing new is saved
    response = client.post(THANKS, {"action": "start-again"})
    assert response.status_code == 302
    assert VolunteerApplication.objects.filter(pk=earlier.pk).exists()


def test_start_again_after_confirming_keeps_the_application(client, form_data):
    apply(client, form_data)
    VolunteerApplication.objects.update(email_confirmed_at="2026-01-01T00:00Z")
    client.post(THANKS, {"action": "start-again"})
    assert VolunteerApplication.objects.count() == 1


def test_thanks_in_arabic_keeps_its_own_cookie_path(client, form_data):
    response = client.post("/ar" + APPLY, form_data)
    assert response["Location"] == "/ar" + THANKS
    assert response.cookies[thanks.COOKIE]["path"] == "/ar" + THANKS
    page = client.get("/ar" + THANKS)
    assert 'dir="rtl"' in page.content.decode()
    assert "amira@example.org" in page.content.decode()
