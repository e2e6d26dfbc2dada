"""The contact page (issue 14): details, a form that reaches staff, and the message's data.

The form shares the volunteer form's protections (honeypot, minimum fill time, rate limit)
and outbox; a message is kept, purged, exported and erased like an application.
"""

import datetime
import io
import json
import re
import socket

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import verify_second_factor
from tests.programme.factories import PageFactory
from tests.volunteers import test_admin as admin_tests
from tests.volunteers.conftest import old_ticket
from tests.volunteers.factories import VolunteerApplicationFactory
from volunteers import services
from volunteers.models import ContactMessage, QueuedEmail

pytestmark = pytest.mark.django_db

CONTACT = "/contact/"
CHANGELIST = "/admin/volunteers/contactmessage/"

coordinator = admin_tests.coordinator
coordinator_client = admin_tests.coordinator_client
content_editor = admin_tests.content_editor


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
def contact_data():
    return {
        "name": "Jiao Wen",
        "email": "Jiao@Example.org",
        "subject": "A school visit",
        "message": "Could a writer visit our school in March?",
        "consent": "on",
        "website": "",
        "ticket": old_ticket(),
    }


def make_message(**fields) -> ContactMessage:
    defaults = {
        "name": "Jiao Wen",
        "email": "jiao@example.org",
        "message": "Hello",
        "consent_given_at": timezone.now(),
        "privacy_notice_version": "1.1",
    }
    return ContactMessage.objects.create(**{**defaults, **fields})


# ---------------------------------------------------------------- the page
def test_the_route_is_contact_form_in_every_language():
    assert reverse("contact:form") == "/contact/"
    assert reverse("contact:thanks") == "/contact/thanks/"


def test_page_shows_the_programmes_details_from_settings(client, settings):
    settings.PORTAL = settings.PORTAL | {
        "CONTACT_EMAIL": "refuge@example.org",
        "CONTACT_PHONE": "01603 123456",
        "CONTACT_ADDRESS": "Writers' Centre, Norwich",
    }
    response = client.get(CONTACT)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Contact us</h1>" in html
    assert 'href="mailto:refuge@example.org"' in html
    assert 'href="tel:01603123456"' in html
    assert "Writers&#x27; Centre, Norwich" in html
    assert 'id="contact-form"' in html
    assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_no_phone_line_without_a_phone(client, settings):
    settings.PORTAL = settings.PORTAL | {"CONTACT_PHONE": ""}
    assert (
        'href="tel:'
        not in client.get(CONTACT).content.decode().split("<main")[1].split("</main>")[0]
    )


def test_a_published_contact_page_goes_above_the_form_and_a_draft_does_not(client):
    page = PageFactory(slug="contact", title="Write to us", body="<p>We answer every letter.</p>")
    html = client.get(CONTACT).content.decode()
    assert "<h1>Write to us</h1>" in html
    assert "We answer every letter." in html
    assert html.index("We answer every letter.") < html.index('id="contact-form"')
    page.status = "draft"
    page.save()
    html = client.get(CONTACT).content.decode()
    assert "We answer every letter." not in html
    assert "<h1>Contact us</h1>" in html


def test_in_arabic_right_to_left(client):
    response = client.get("/ar/contact/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in html
    assert 'action="/ar/contact/"' in html


@pytest.mark.parametrize("pages", [1, 15])
def test_query_count_does_not_grow(client, pages, django_assert_max_num_queries):
    for number in range(pages):
        PageFactory(slug=f"page-{number}")
    with django_assert_max_num_queries(4):
        response = client.get(CONTACT)
    assert response.status_code == 200


def test_a_get_writes_no_session(client):
    client.get(CONTACT)
    client.get("/ar/contact/")
    assert not Session.objects.exists()


def test_the_404_page_and_the_sitemap_link_the_contact_page(client, demo_content):
    assert 'href="/contact/"' in client.get("/no-such-page/").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/contact/</loc>" in sitemap
    # Once per language, not again as a page.
    assert sitemap.count("<loc>http://testserver/contact/</loc>") == 1
    assert sitemap.count("/contact/</loc>") == 3
    assert 'hreflang="ar" href="http://testserver/ar/contact/"' in sitemap


# ---------------------------------------------------------------- sending
def test_a_message_is_kept_and_staff_are_told_without_its_words(client, contact_data, settings):
    settings.PORTAL = settings.PORTAL | {"CONTACT_EMAIL": "team@example.org"}
    response = client.post(CONTACT, contact_data)
    assert response.status_code == 302
    assert response["Location"] == "/contact/thanks/"
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.subject) == (
        "Jiao Wen",
        "Jiao@Example.org",
        "A school visit",
    )
    assert message.message == "Could a writer visit our school in March?"
    assert message.language == "en-gb"
    assert message.consent_given_at is not None
    assert message.handled_at is None
    (email,) = mail.outbox
    assert email.to == ["team@example.org"]
    assert f"#{message.pk}" in email.subject
    assert f"/admin/volunteers/contactmessage/{message.pk}/change/" in email.body
    for private in ("Jiao", "school", "March"):
        assert private not in email.body + email.subject
    assert not QueuedEmail.objects.exists()  # sent, so its row is gone
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for your message" in thanks


def test_the_privacy_notice_version_shown_is_recorded(client, contact_data):
    PageFactory(slug="privacy", version="2.0")
    html = client.get(CONTACT).content.decode()
    contact_data["ticket"] = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    client.post(CONTACT, contact_data)
    # Too quick (just issued), so nothing yet: the same ticket comes back.
    assert not ContactMessage.objects.exists()
    contact_data["ticket"] = old_ticket(version="2.0")
    client.post(CONTACT, contact_data)
    assert ContactMessage.objects.get().privacy_notice_version == "2.0"


def test_mail_down_keeps_the_message_and_its_email_for_the_retry(client, contact_data, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    assert client.post(CONTACT, contact_data).status_code == 302
    message = ContactMessage.objects.get()
    queued = QueuedEmail.objects.get()
    assert queued.contact_message == message
    assert queued.kind == "contact_notification"
    assert queued.last_error == "ConnectionRefusedError"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    call_command("send_volunteer_emails", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert not QueuedEmail.objects.exists()


def test_a_double_click_keeps_one_message(client, contact_data):
    client.post(CONTACT, contact_data)
    client.post(CONTACT, contact_data)
    assert ContactMessage.objects.count() == 1
    assert len(mail.outbox) == 1


# ---------------------------------------------------------------- mistakes and spam
def test_errors_are_summarised_linked_and_nothing_typed_is_lost(client, contact_data):
    contact_data.update(email="not-an-email", message="   ", consent="")
    response = client.post(CONTACT, contact_data)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["error_summary"] == [
        ("id_email", "Enter an email address like name@example.com."),
        ("id_message", "Write your message."),
        (
            "id_consent",
            "To send your message, tick the box to agree to us keeping it to answer you.",
        ),
    ]
    assert "<title>Error: Contact us" in html
    assert re.search(r'role="alert"[^>]*tabindex="-1"', html)
    assert '<a href="#id_email">' in html
    assert 'value="Jiao Wen"' in html
    assert 'value="not-an-email"' in html
    assert 'value="A school visit"' in html
    assert re.search(r'<input[^>]*name="email"[^>]*aria-invalid="true"', html)
    assert not ContactMessage.objects.exists()


def test_a_long_message_is_refused_with_its_length_and_kept(client, contact_data):
    contact_data["message"] = "x" * 4001
    response = client.post(CONTACT, contact_data)
    ((anchor, text),) = response.context["error_summary"]
    assert anchor == "id_message"
    assert "4000" in text
    assert "4001" in text
    assert "x" * 4001 in response.content.decode()


def test_names_in_any_script_and_no_subject_are_fine(client, contact_data):
    contact_data.update(name="فاطمة الزهراء", subject="")
    assert client.post(CONTACT, contact_data).status_code == 302
    assert ContactMessage.objects.get().name == "فاطمة الزهراء"


def test_honeypot_looks_like_success_and_keeps_nothing(client, contact_data):
    contact_data["website"] = "http://spam.example"
    response = client.post(CONTACT, contact_data)
    assert response["Location"] == "/contact/thanks/"
    assert not ContactMessage.objects.exists()
    assert mail.outbox == []


def test_too_quick_is_said_kindly_only_when_nothing_else_is_wrong(client, contact_data):
    contact_data["ticket"] = old_ticket(seconds_ago=0.5)
    html = client.post(CONTACT, contact_data).content.decode()
    assert "We couldn’t send that yet — please check your answers and send again." in html
    assert 'value="Jiao Wen"' in html
    contact_data["email"] = "nope"
    response = client.post(CONTACT, contact_data)
    assert [text for _anchor, text in response.context["error_summary"]] == [
        "Enter an email address like name@example.com."
    ]
    assert not ContactMessage.objects.exists()


def test_rate_limited_with_its_own_page(client, contact_data, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 2}
    for _number in range(2):
        client.post(CONTACT, {**contact_data, "ticket": old_ticket()})
    response = client.post(CONTACT, {**contact_data, "ticket": old_ticket()})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Please wait a little" in html
    assert "messages from your connection" in html
    assert ContactMessage.objects.count() == 2
    # The volunteer form counts on its own.
    assert client.get("/volunteer/apply/").status_code == 200


# ---------------------------------------------------------------- privacy
def test_purged_on_the_volunteers_schedule(settings):
    days = settings.VOLUNTEERS["CLOSED_RETENTION_DAYS"]
    now = timezone.now()
    old = now - datetime.timedelta(days=days + 1)
    recent = now - datetime.timedelta(days=days - 1)
    handled_long_ago = make_message(handled_at=old)
    never_handled_old = make_message()
    handled_recently = make_message(handled_at=recent)
    fresh = make_message()
    ContactMessage.objects.filter(pk__in=[handled_long_ago.pk, never_handled_old.pk]).update(
        created_at=old
    )
    ContactMessage.objects.filter(pk=handled_recently.pk).update(created_at=old)
    out = io.StringIO()
    call_command("purge_volunteer_data", stdout=out)
    assert set(ContactMessage.objects.values_list("pk", flat=True)) == {
        handled_recently.pk,
        fresh.pk,
    }
    assert "contact messages: 2" in out.getvalue()


def test_exported_with_the_persons_other_data(client):
    message = make_message(email="Jiao@Example.org", subject="Hello", message="Words")
    make_message(email="someone.else@example.org", message="Not theirs")
    VolunteerApplicationFactory(email="jiao@example.org")
    out = io.StringIO()
    call_command("export_personal_data", email="JIAO@example.org", stdout=out)
    data = json.loads(out.getvalue())
    assert [item["reference"] for item in data["contact_messages"]] == [message.pk]
    assert data["contact_messages"][0]["message"] == "Words"
    assert data["contact_messages"][0]["subject"] == "Hello"
    assert "Not theirs" not in out.getvalue()
    assert len(data["volunteer_applications"]) == 1


def test_only_contact_messages_still_count_as_something_held():
    make_message(email="only@example.org")
    err = io.StringIO()
    call_command("export_personal_data", email="only@example.org", stdout=io.StringIO(), stderr=err)
    assert "Nothing is held" not in err.getvalue()


def test_erasure_deletes_messages_queued_emails_and_blanks_the_admin_history(admin_user):
    message = make_message(email="Jiao@example.org")
    kept = make_message(email="other@example.org")
    QueuedEmail.objects.create(
        contact_message=message, kind="contact_notification", to=["t@example.org"], subject="s",
        text_body="b",
    )  # fmt: skip
    entry = LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[message], action_flag=2, change_message="Handled"
    )[0]
    assert services.contact_message_erase_person(email="jiao@EXAMPLE.org") == 1
    assert list(ContactMessage.objects.all()) == [kept]
    assert not QueuedEmail.objects.exists()
    entry.refresh_from_db()
    assert (entry.object_repr, entry.change_message) == ("(erased)", "")


def test_a_message_names_no_one_in_the_admin_history():
    message = make_message(name="Jiao Wen")
    assert str(message) == f"Message #{message.pk}"


# ---------------------------------------------------------------- the admin
def test_coordinators_may_read_mark_handled_and_erase_but_never_add_or_edit():
    group = Group.objects.get(name="Volunteer coordinator")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"view_contactmessage", "change_contactmessage", "delete_contactmessage"} <= codenames
    assert "add_contactmessage" not in codenames
    editors = Group.objects.get(name="Content editor")
    assert not editors.permissions.filter(codename__endswith="contactmessage").exists()


def test_content_editors_and_the_public_cannot_see_messages(client, content_editor):
    make_message(name="Private Sender")
    assert client.get(CHANGELIST).status_code == 302  # to the login page
    verify_second_factor(client, content_editor)
    assert client.get(CHANGELIST).status_code == 403
    assert "Private Sender" not in client.get("/admin/").content.decode()


def test_coordinators_read_messages_and_mark_them_handled(coordinator_client, coordinator):
    first = make_message(name="Jiao Wen", subject="School visit")
    second = make_message(name="Amira Haddad", email="amira@example.org")
    changelist = coordinator_client.get(CHANGELIST)
    html = changelist.content.decode()
    assert changelist.status_code == 200
    assert "Jiao Wen" in html
    assert "School visit" in html
    assert "Amira Haddad" in html
    assert "Add contact message" not in html
    found = coordinator_client.get(CHANGELIST, {"q": "amira"}).content.decode()
    assert "Amira Haddad" in found
    assert "Jiao Wen" not in found
    detail = coordinator_client.get(f"{CHANGELIST}{first.pk}/change/").content.decode()
    assert "Hello" in detail
    assert 'name="message"' not in detail  # read-only: no field to edit
    response = coordinator_client.post(
        CHANGELIST, {"action": "mark_handled", "_selected_action": [first.pk]}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.handled_at is not None
    assert first.handled_by == coordinator
    assert second.handled_at is None
    unhandled = coordinator_client.get(CHANGELIST, {"handled": "no"}).content.decode()
    assert "Amira Haddad" in unhandled
    assert "Jiao Wen" not in unhandled
    assert LogEntry.objects.get().object_repr == f"Message #{first.pk}"
    coordinator_client.post(
        CHANGELIST, {"action": "mark_not_handled", "_selected_action": [first.pk]}
    )
    first.refresh_from_db()
    assert first.handled_at is None


def test_deleting_in_the_admin_erases(coordinator_client):
    message = make_message()
    response = coordinator_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [message.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize("count", [1, 20])
def test_changelist_query_count_does_not_grow(
    coordinator_client, coordinator, count, django_assert_max_num_queries
):
    for number in range(count):
        make_message(email=f"sender{number}@example.org", handled_at=timezone.now(),
                     handled_by=coordinator)  # fmt: skip
    with django_assert_max_num_queries(13):
        response = coordinator_client.get(CHANGELIST)
    assert response.content.decode().count("sender") >= count
