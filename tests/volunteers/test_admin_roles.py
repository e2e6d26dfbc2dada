"""Every admin view of an application follows the changelist's rule, per role.

Superusers see every application, coordinators only confirmed ones; content editors and
staff in no group see none. The audit history is there to read, never to revert: its
pages are read-only and refuse a POST, whoever sends it.
"""

import pytest
from django.test import Client

from tests.conftest import verify_second_factor
from tests.programme import test_preview_permissions as preview_tests
from tests.volunteers import test_admin as admin_tests
from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory
from volunteers.models import VolunteerApplication

pytestmark = pytest.mark.django_db

# The staff roles' fixtures, shared with the other admin and preview tests.
coordinator = admin_tests.coordinator
coordinator_client = admin_tests.coordinator_client
content_editor = admin_tests.content_editor
staff_in_no_group = preview_tests.staff_in_no_group

CHANGELIST = admin_tests.CHANGELIST


@pytest.fixture
def unconfirmed(db):
    return VolunteerApplicationFactory(
        name="Nadia Unconfirmed", email="nadia@example.org", email_confirmed_at=None
    )


@pytest.fixture
def confirmed(db):
    return VolunteerApplicationFactory(name="Amira Confirmed", email="amira@example.org")


def history_url(application) -> str:
    return f"{CHANGELIST}{application.pk}/history/"


def record_url(application) -> str:
    record = VolunteerApplication.history.filter(id=application.pk).earliest()
    return f"{history_url(application)}{record.history_id}/"


def revert_data(application) -> dict:
    """What the history form would post to rewrite the name and email."""
    role = VolunteerRoleFactory()
    return {
        "status": "new",
        "name": "Changed By Revert",
        "email": "changed@example.org",
        "phone": "",
        "area": "NR1",
        "roles": [role.pk],
        "languages": "English",
        "availability": ["weekends"],
        "dbs_check": "no",
        "message": "",
        "_save": "Revert",
    }


def assert_unchanged(application, name, email):
    application.refresh_from_db()
    assert (application.name, application.email) == (name, email)


def client_for(user) -> Client:
    client = Client()
    verify_second_factor(client, user)
    return client


# ---------------------------------------------------------------- coordinators
def test_a_coordinator_cannot_open_any_view_of_an_unconfirmed_application(
    coordinator_client, unconfirmed
):
    for url in [history_url(unconfirmed), record_url(unconfirmed)]:
        response = coordinator_client.get(url)
        assert response.status_code == 404, url
        assert "Nadia" not in response.content.decode(), url
    # Change and delete answer as for an application that does not exist.
    for url in [f"{CHANGELIST}{unconfirmed.pk}/change/", f"{CHANGELIST}{unconfirmed.pk}/delete/"]:
        response = coordinator_client.get(url, follow=True)
        assert "doesn’t exist" in response.content.decode(), url
        assert "Nadia" not in response.content.decode(), url


def test_a_coordinator_cannot_change_an_unconfirmed_application_through_its_history(
    coordinator_client, unconfirmed
):
    response = coordinator_client.post(record_url(unconfirmed), revert_data(unconfirmed))
    assert response.status_code == 404
    assert_unchanged(unconfirmed, "Nadia Unconfirmed", "nadia@example.org")


def test_a_coordinator_cannot_change_or_delete_an_unconfirmed_application(
    coordinator_client, unconfirmed
):
    coordinator_client.post(f"{CHANGELIST}{unconfirmed.pk}/change/", revert_data(unconfirmed))
    coordinator_client.post(f"{CHANGELIST}{unconfirmed.pk}/delete/", {"post": "yes"})
    assert_unchanged(unconfirmed, "Nadia Unconfirmed", "nadia@example.org")


@pytest.mark.parametrize("action", ["export_csv", "export_subject_access"])
def test_a_coordinators_exports_leave_out_unconfirmed_applications(
    coordinator_client, unconfirmed, action
):
    response = coordinator_client.post(
        CHANGELIST, {"action": action, "_selected_action": [unconfirmed.pk]}, follow=True
    )
    body = response.content.decode()
    assert "Nadia" not in body
    assert "nadia@example.org" not in body


def test_a_coordinator_reads_the_history_of_a_confirmed_application(coordinator_client, confirmed):
    listing = coordinator_client.get(history_url(confirmed))
    assert listing.status_code == 200
    assert "View history" in listing.content.decode()
    record = coordinator_client.get(record_url(confirmed))
    assert record.status_code == 200
    html = record.content.decode()
    assert "Amira Confirmed" in html  # shown as text, to read
    assert 'name="name"' not in html
    assert 'name="email"' not in html
    assert "Revert" not in html


def test_a_coordinator_cannot_revert_a_confirmed_application(coordinator_client, confirmed):
    response = coordinator_client.post(record_url(confirmed), revert_data(confirmed))
    assert response.status_code == 405
    assert_unchanged(confirmed, "Amira Confirmed", "amira@example.org")


# ---------------------------------------------------------------- superusers
def test_a_superuser_reads_the_history_of_any_application(admin_client, unconfirmed):
    assert admin_client.get(history_url(unconfirmed)).status_code == 200
    record = admin_client.get(record_url(unconfirmed))
    assert record.status_code == 200
    html = record.content.decode()
    assert "Nadia Unconfirmed" in html
    assert 'name="email"' not in html
    assert "Revert" not in html


def test_a_superuser_cannot_revert_either(admin_client, unconfirmed):
    response = admin_client.post(record_url(unconfirmed), revert_data(unconfirmed))
    assert response.status_code == 405
    assert_unchanged(unconfirmed, "Nadia Unconfirmed", "nadia@example.org")


# ---------------------------------------------------------------- everyone else
@pytest.mark.parametrize("role", ["content_editor", "staff_in_no_group"])
def test_staff_without_volunteer_permissions_see_no_history(request, role, confirmed, unconfirmed):
    client = client_for(request.getfixturevalue(role))
    # The same answer for either, so it tells them nothing about an application.
    for application in [confirmed, unconfirmed]:
        for url in [history_url(application), record_url(application)]:
            response = client.get(url)
            assert response.status_code == 403, url
            assert "Amira" not in response.content.decode(), url
            assert "Nadia" not in response.content.decode(), url
    assert client.post(record_url(confirmed), revert_data(confirmed)).status_code == 403
    assert_unchanged(confirmed, "Amira Confirmed", "amira@example.org")


def test_a_coordinator_without_the_second_factor_is_sent_to_sign_in(coordinator, confirmed):
    client = Client()
    client.force_login(coordinator)
    for url in [history_url(confirmed), record_url(confirmed)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    client.post(record_url(confirmed), revert_data(confirmed))
    assert_unchanged(confirmed, "Amira Confirmed", "amira@example.org")


def test_the_public_is_sent_to_sign_in(client, confirmed):
    response = client.get(record_url(confirmed))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    client.post(record_url(confirmed), revert_data(confirmed))
    assert_unchanged(confirmed, "Amira Confirmed", "amira@example.org")
