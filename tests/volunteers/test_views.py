"""The visitor's path: roles, the form, thanks, and the links in the emails."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.programme.factories import PageFactory
from tests.volunteers.conftest import old_ticket
from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory
from volunteers.models import (
    PurgedApplicationCount,
    QueuedEmail,
    VolunteerApplication,
    VolunteerRole,
)
from volunteers.tokens import FormTicket

APPLY = "/volunteer/apply/"


def post(client, data, **kwargs):
    return client.post(APPLY, data, **kwargs)


def link_from(message, name: str) -> str:
    match = re.search(rf"http://testserver(/volunteer/{name}/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


# ---------------------------------------------------------------- the roles page
@pytest.mark.django_db
def test_index_lists_current_roles_with_strand_and_dbs_note(client, roles):
    VolunteerRoleFactory(title="Retired role", is_active=False)
    response = client.get("/volunteer/")
    html = response.content.decode()
    assert "<h1>Volunteer with us</h1>" in html
    assert "Event steward" in html
    assert "Mentor for young writers" in html
    assert "Retired role" not in html
    assert roles[0].strand.title in html
    assert html.count("needs a DBS check") == 1
    assert f'href="{reverse("volunteers:apply")}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_index_query_count_does_not_grow_with_roles(client, count, django_assert_max_num_queries):
    VolunteerRoleFactory.create_batch(count)
    with django_assert_max_num_queries(3):
        response = client.get("/volunteer/")
    assert response.content.decode().count('class="role"') == count


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_apply_query_count_does_not_grow_with_roles(client, count, django_assert_max_num_queries):
    VolunteerRoleFactory.create_batch(count)
    with django_assert_max_num_queries(5):
        response = client.get(APPLY)
    assert response.content.decode().count('name="roles"') == count


# ---------------------------------------------------------------- the form
@pytest.mark.django_db
def test_form_groups_checkboxes_in_fieldsets_with_legends(client, roles):
    html = client.get(APPLY).content.decode()
    dbs = "Only if you chose Mentor for young writers: do you hold a current DBS check?"
    for legend in ("Which roles interest you?", "When could you help?", dbs):
        assert re.search(r"<legend[^>]*>\s*" + re.escape(legend), html), legend
    assert "novalidate" in html
    assert 'list="language-suggestions"' in html
    assert "<datalist" in html
    # The honeypot is hidden from everyone, assistive technology included.
    assert re.search(r'<div[^>]*class="form-trap"[^>]*aria-hidden="true"', html)
    assert 'tabindex="-1"' in html


@pytest.mark.django_db
def test_valid_application_is_saved_then_redirects_to_thanks(
    client, form_data, roles, django_capture_on_commit_callbacks
):
    PageFactory(slug="privacy", version="2.3")
    form_data["ticket"] = old_ticket(version="2.3")
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_data)
    assert response.status_code == 302
    assert response["Location"] == "/volunteer/thanks/"
    application = VolunteerApplication.objects.get()
    assert application.name == "Amira Haddad"
    assert application.area == "NR2"  # only the postcode district is kept
    assert application.languages == ["Arabic", "English", "French"]
    assert sorted(application.availability) == ["weekday-evenings", "weekends"]
    assert list(application.roles.all()) == [roles[0]]
    assert application.privacy_notice_version == "2.3"
    assert application.consent_given_at is not None
    assert application.news_opt_in is False
    assert application.email_confirmed_at is None
    # The confirmation email went out after the commit, and left the queue.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amira@example.org"]
    assert "/volunteer/confirm/" in message.body
    assert "/volunteer/withdraw/" in message.body
    html_part, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "/volunteer/withdraw/" in html_part
    assert not QueuedEmail.objects.exists()

    thanks = client.get(response["Location"])
    assert "Please check your email" in thanks.content.decode()


@pytest.mark.django_db
def test_news_opt_in_is_separate_and_recorded(client, form_data):
    form_data["news_opt_in"] = "on"
    post(client, form_data)
    assert VolunteerApplication.objects.get().news_opt_in is True


@pytest.mark.django_db
def test_same_email_again_makes_no_duplicate_and_reveals_nothing(
    client, form_data, django_capture_on_commit_callbacks
):
    VolunteerApplicationFactory(email="Amira@Example.org", name="Amira H", email_confirmed_at=None)
    form_data["name"] = "Someone Else"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_data)
    assert response.status_code == 302, response.context["error_summary"]
    assert response["Location"] == "/volunteer/thanks/"
    assert VolunteerApplication.objects.count() == 1
    assert VolunteerApplication.objects.get().name == "Amira H"  # not overwritten
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "already have an application" in body
    assert "/volunteer/confirm/" in body
    assert "/volunteer/withdraw/" in body


@pytest.mark.django_db
def test_double_submit_creates_one_application_and_one_email(
    client, form_data, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, form_data)
        second = post(client, form_data)
    assert first["Location"] == second["Location"] == "/volunteer/thanks/"
    assert VolunteerApplication.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_honeypot_looks_like_success_and_keeps_nothing(client, form_data):
    form_data["website"] = "http://spam.example"
    response = post(client, form_data)
    assert response["Location"] == "/volunteer/thanks/"
    assert not VolunteerApplication.objects.exists()
    assert not QueuedEmail.objects.exists()


@pytest.mark.django_db
def test_too_fast_is_asked_to_check_and_send_again_keeping_everything(client, form_data, settings):
    form_data["ticket"] = old_ticket(seconds_ago=0.5)
    response = post(client, form_data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "We couldn’t send that yet — please check your answers and send again." in html
    assert "very quick" not in html
    assert not VolunteerApplication.objects.exists()
    assert 'value="Amira Haddad"' in html
    # The same ticket comes back (it keeps ageing, and a double click still counts once):
    # its key, time and notice, signed again (the signature's own time may have moved on
    # to the next second, so the string can differ)…
    ticket = re.search(r'name="ticket" value="([^"]+)"', html).group(1)
    assert FormTicket.loads(ticket) == FormTicket.loads(form_data["ticket"])
    # …so sent again once a person would have read it through, it goes.
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "MIN_FILL_SECONDS": 0}
    assert post(client, {**form_data, "ticket": ticket}).status_code == 302
    assert VolunteerApplication.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("ticket", ["quick", "tampered"])
def test_a_ticket_problem_is_not_mentioned_beside_field_errors(client, form_data, ticket):
    form_data["ticket"] = (
        old_ticket(seconds_ago=0.5) if ticket == "quick" else form_data["ticket"][:-3] + "abc"
    )
    form_data["email"] = "not-an-email"
    response = post(client, form_data)
    html = response.content.decode()
    assert [message for _anchor, message in response.context["error_summary"]] == [
        "Enter an email address like name@example.com."
    ]
    assert "couldn’t send that yet" not in html
    assert "Something went wrong" not in html
    assert 'value="Amira Haddad"' in html
    assert not VolunteerApplication.objects.exists()


@pytest.mark.django_db
def test_tampered_ticket_is_refused_kindly(client, form_data):
    form_data["ticket"] = form_data["ticket"][:-3] + "abc"
    response = post(client, form_data)
    assert "Something went wrong with the form" in response.content.decode()
    assert not VolunteerApplication.objects.exists()


@pytest.mark.django_db
def test_errors_summary_links_fields_and_keeps_what_was_typed(client, form_data):
    form_data.update(email="not-an-email", roles=[], consent="", availability=[])
    response = post(client, form_data)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["error_summary"]
    assert re.search(r'role="alert"[^>]*tabindex="-1"', html)
    assert '<a href="#id_email">Enter an email address like name@example.com.</a>' in html
    assert '<a href="#id_roles_0">Choose at least one role that interests you.</a>' in html
    assert '<a href="#id_availability_0">' in html
    assert '<a href="#id_consent">' in html
    assert "<title>Error: Apply to volunteer" in html
    # The field itself says it is invalid and points at its message.
    assert re.search(r'<input[^>]*name="email"[^>]*aria-invalid="true"', html)
    assert re.search(r'<input[^>]*name="email"[^>]*aria-describedby="[^"]*id_email_error', html)
    assert 'id="id_email_error"' in html
    # Nothing typed is lost.
    assert 'value="Amira Haddad"' in html
    assert 'value="not-an-email"' in html
    assert "I have stewarded at the Norwich Arts Centre." in html
    assert 'value="Arabic, English, French"' in html
    assert re.search(r'value="no"[^>]*checked', html)
    assert not VolunteerApplication.objects.exists()


@pytest.mark.django_db
def test_under_18_gets_a_kind_explanation_and_young_peoples_projects(client, form_data):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    del form_data["is_adult"]
    form_data["roles"] = [str(VolunteerRole.objects.first().pk)]
    html = post(client, form_data).content.decode()
    assert "To volunteer with us you need to be 18 or over" in html
    assert "Strangers and Canaries" in html
    assert "/programme/community-programme/strangers-and-canaries/" in html
    assert not VolunteerApplication.objects.exists()


@pytest.mark.django_db
def test_post_data_is_hidden_from_error_reports(client, form_data):
    response = post(client, form_data)
    assert response.wsgi_request.sensitive_post_parameters == "__ALL__"


# ---------------------------------------------------------------- confirm and withdraw links
@pytest.fixture
def applied(client, form_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(client, form_data)
    return VolunteerApplication.objects.get(), mail.outbox[0]


@pytest.mark.django_db
def test_confirm_link_asks_for_one_click_then_confirms_and_tells_coordinators(
    client, applied, settings, django_capture_on_commit_callbacks
):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "COORDINATOR_EMAILS": ["coord@example.org"]}
    application, message = applied
    url = link_from(message, "confirm")
    page = client.get(url)
    assert "Confirm my application" in page.content.decode()
    application.refresh_from_db()
    assert application.email_confirmed_at is None  # a GET (or a mail scanner) changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == url
    application.refresh_from_db()
    assert application.email_confirmed_at is not None
    assert "your application is confirmed" in client.get(url).content.decode()
    notification = mail.outbox[-1]
    assert notification.to == ["coord@example.org"]
    assert f"/admin/volunteers/volunteerapplication/{application.pk}/change/" in notification.body
    assert application.name not in notification.body
    assert application.email not in notification.body
    # Confirming twice sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_coordinators_notified_at_their_own_addresses_by_default(
    client, applied, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    coordinator = django_user_model.objects.create_user("coord", email="c@example.org")
    coordinator.groups.add(Group.objects.get(name="Volunteer coordinator"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link_from(applied[1], "confirm"))
    assert mail.outbox[-1].to == ["c@example.org"]


@pytest.mark.django_db
def test_expired_confirm_link(client, applied, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "CONFIRM_LINK_DAYS": 0}
    url = link_from(applied[1], "confirm")
    import time

    time.sleep(1.1)
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 410
        assert "This link has expired" in response.content.decode()
    assert applied[0].__class__.objects.get().email_confirmed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["confirm", "withdraw"])
def test_tampered_links_do_nothing(client, applied, kind):
    url = link_from(applied[1], kind)
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = url.replace(token, token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    for response in (client.get(tampered), client.post(tampered)):
        assert response.status_code == 400
        assert "This link does not work" in response.content.decode()
    application = VolunteerApplication.objects.get()
    assert application.email_confirmed_at is None


@pytest.mark.django_db
def test_a_confirm_token_cannot_withdraw(client, applied):
    token = link_from(applied[1], "confirm").rstrip("/").rsplit("/", 1)[1]
    response = client.post(f"/volunteer/withdraw/{token}/")
    assert response.status_code == 400
    assert VolunteerApplication.objects.exists()


@pytest.mark.django_db
def test_withdraw_link_deletes_everything_after_one_confirming_click(client, applied):
    url = link_from(applied[1], "withdraw")
    page = client.get(url).content.decode()
    assert "Delete my details" in page
    assert VolunteerApplication.objects.exists()
    response = client.post(url)
    assert response["Location"] == "/volunteer/withdrawn/"
    assert not VolunteerApplication.objects.exists()
    assert "Your details have been deleted" in client.get("/volunteer/withdrawn/").content.decode()
    assert PurgedApplicationCount.objects.get().reason == "withdrawn"
    # The link again: nothing left to withdraw, said plainly.
    again = client.get(url)
    assert again.status_code == 404
    assert "We hold no application for this link" in again.content.decode()


@pytest.mark.django_db
def test_expired_withdraw_link_says_how_to_ask_instead(client, applied, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "WITHDRAW_LINK_DAYS": 0}
    url = link_from(applied[1], "withdraw")
    import time

    time.sleep(1.1)
    response = client.post(url)
    assert response.status_code == 410
    assert "cityofrefuge@example.org" in response.content.decode()
    assert VolunteerApplication.objects.exists()
