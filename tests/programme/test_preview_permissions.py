"""Who previews what the public cannot see, per role: drafts, hidden and unconsented writers.

Preview belongs to staff who may change that kind of record and have passed the second
factor (core/roles.py `can_preview`); everyone else, staff included, gets the public
404. The same holds for the admin's "view on site" redirect, /admin/r/<ct>/<id>/.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from core.roles import can_preview
from events.models import EventStatus
from programme.models import Writer
from tests.conftest import verify_second_factor
from tests.events.factories import EventFactory
from tests.programme.factories import PageFactory, ProjectFactory, StrandFactory, WriterFactory
from tests.volunteers import test_admin as volunteers_admin_tests

pytestmark = pytest.mark.django_db

# The staff roles' fixtures, shared with the coordinators' admin tests.
coordinator = volunteers_admin_tests.coordinator
content_editor = volunteers_admin_tests.content_editor

DRAFT_NOTICE = "Preview: this is not published, so only staff can see it."
WRITER_NOTICE = "Preview: this profile is not public"


@pytest.fixture
def staff_in_no_group(django_user_model):
    """Staff status and nothing else: the admin opens on an empty index."""
    return django_user_model.objects.create_user(
        "staff-only", password="a-long-test-password", is_staff=True
    )


@pytest.fixture
def unseen(db):
    """One of each thing the public must not reach."""
    return {
        "hidden writer": WriterFactory(name="Zephyrine Quillfeather", visibility="hidden"),
        "unconsented writer": WriterFactory(name="Barnaby Inkwell", consent_recorded_on=None),
        "withdrawn writer": WriterFactory(
            name="Ottoline Penrose", consent_withdrawn_on=datetime.date(2026, 3, 1)
        ),
        "draft strand": StrandFactory(status="draft", title="Secret plans"),
        "draft project": ProjectFactory(status="draft", title="Quiet project"),
        "draft page": PageFactory(status="draft", title="Unfinished page"),
        "draft event": EventFactory(status=EventStatus.DRAFT, title="Unannounced reading"),
    }


def shown_as(obj) -> tuple[str, str]:
    """What a preview of `obj` shows: its name or title, and the staff-only notice."""
    if isinstance(obj, Writer):
        return obj.name, WRITER_NOTICE
    return obj.title, DRAFT_NOTICE


def client_for(user, *, second_factor: bool) -> Client:
    client = Client()
    if second_factor:
        verify_second_factor(client, user)
    else:
        client.force_login(user)  # the password only: no authenticator code yet
    return client


def assert_previews(client, unseen):
    for label, obj in unseen.items():
        title, notice = shown_as(obj)
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 200, label
        html = response.content.decode()
        assert title in html, label
        assert notice in html, label


def assert_public_404(client, unseen):
    for label, obj in unseen.items():
        response = client.get(obj.get_absolute_url())
        assert response.status_code == 404, label
        assert shown_as(obj)[0] not in response.content.decode(), label


# ---------------------------------------------------------------- the public site, per role
def test_a_superuser_with_the_second_factor_previews_everything(admin_client, unseen):
    assert_previews(admin_client, unseen)


def test_a_content_editor_with_the_second_factor_previews_everything(content_editor, unseen):
    assert_previews(client_for(content_editor, second_factor=True), unseen)


def test_a_content_editor_without_the_second_factor_gets_the_public_404(content_editor, unseen):
    assert_public_404(client_for(content_editor, second_factor=False), unseen)


def test_a_superuser_without_the_second_factor_gets_the_public_404(admin_user, unseen):
    assert_public_404(client_for(admin_user, second_factor=False), unseen)


def test_a_coordinator_gets_the_public_404(coordinator, unseen):
    assert_public_404(client_for(coordinator, second_factor=True), unseen)


def test_a_staff_member_in_no_group_gets_the_public_404(staff_in_no_group, unseen):
    assert_public_404(client_for(staff_in_no_group, second_factor=True), unseen)


def test_the_public_gets_the_404(client, unseen):
    assert_public_404(client, unseen)


def test_preview_follows_the_change_permission_of_each_kind_of_record(staff_in_no_group, unseen):
    """May change writers: previews hidden writers, but not draft strands or events."""
    staff_in_no_group.user_permissions.add(Permission.objects.get(codename="change_writer"))
    client = client_for(staff_in_no_group, second_factor=True)
    writer = unseen["hidden writer"]
    assert writer.name in client.get(writer.get_absolute_url()).content.decode()
    for label in ["draft strand", "draft event", "draft page"]:
        assert client.get(unseen[label].get_absolute_url()).status_code == 404, label


def test_view_permission_alone_is_not_enough_to_preview(staff_in_no_group, unseen):
    staff_in_no_group.user_permissions.add(Permission.objects.get(codename="view_writer"))
    client = client_for(staff_in_no_group, second_factor=True)
    assert client.get(unseen["hidden writer"].get_absolute_url()).status_code == 404


def test_without_mfa_required_preview_follows_the_admin(settings, content_editor, unseen):
    """`make run` turns the second factor off for the admin; preview follows it there."""
    settings.STAFF_MFA_REQUIRED = False
    assert_previews(client_for(content_editor, second_factor=False), unseen)


def test_published_content_is_the_same_for_everyone(coordinator, content_editor):
    writer = WriterFactory(name="Open Book")
    for client in [Client(), client_for(coordinator, second_factor=True)]:
        assert "Open Book" in client.get(writer.get_absolute_url()).content.decode()
    html = client_for(content_editor, second_factor=True).get(writer.get_absolute_url())
    assert WRITER_NOTICE not in html.content.decode()


def test_a_user_outside_a_request_has_not_passed_the_second_factor(admin_user):
    # No OTP middleware ran, so there is no is_verified(): fail closed.
    assert not can_preview(admin_user, Writer)


# ---------------------------------------------------------------- the admin's "view on site"
def view_on_site(obj) -> str:
    content_type = ContentType.objects.get_for_model(obj)
    return f"/admin/r/{content_type.pk}/{obj.pk}/"


@pytest.fixture
def hidden_writer(db):
    return WriterFactory(name="Zephyrine Quillfeather", slug="zephyrine", visibility="hidden")


def test_view_on_site_redirects_a_superuser_and_a_content_editor(
    admin_client,
    content_editor,
    hidden_writer,
):
    for client in [admin_client, client_for(content_editor, second_factor=True)]:
        response = client.get(view_on_site(hidden_writer))
        assert response.status_code == 302
        assert response["Location"].endswith("/writers/zephyrine/")
        assert "Zephyrine" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("role", ["coordinator", "staff_in_no_group"])
def test_view_on_site_is_404_to_staff_who_may_not_change_writers(request, role, hidden_writer):
    client = client_for(request.getfixturevalue(role), second_factor=True)
    response = client.get(view_on_site(hidden_writer))
    assert response.status_code == 404
    assert "zephyrine" not in response.content.decode().lower()
    assert "Location" not in response


def test_view_on_site_without_the_second_factor_sends_to_the_login(
    content_editor,
    hidden_writer,
):
    response = client_for(content_editor, second_factor=False).get(view_on_site(hidden_writer))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "zephyrine" not in response["Location"]


def test_view_on_site_sends_the_public_to_the_login(client, hidden_writer):
    response = client.get(view_on_site(hidden_writer))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(
    "path", ["/admin/r/nope/1/", "/admin/r/99999999999999999999/1/", "/admin/r/0/1/"]
)
def test_view_on_site_answers_404_to_nonsense(admin_client, path):
    assert admin_client.get(path).status_code == 404


@pytest.mark.parametrize("object_id", ["nope", "99999999999999999999", "%00", "0"])
def test_view_on_site_answers_404_for_a_record_that_is_not_there(admin_client, object_id):
    content_type = ContentType.objects.get_for_model(Writer)
    assert admin_client.get(f"/admin/r/{content_type.pk}/{object_id}/").status_code == 404
