"""The programme's admin: changelists, search, actions, the editor, and who may do what."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programme.models import Strand
from tests.conftest import verify_second_factor
from tests.programme.factories import (
    PageFactory,
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = ["strand", "project", "writer", "partner", "page", "homepage"]


@pytest.fixture
def content_editor(client):
    user = get_user_model().objects.create_user(
        "editor", password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Content editor"))
    verify_second_factor(client, user)
    return client


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_and_search_work(admin_client, demo_content, model):
    response = admin_client.get(f"/admin/programme/{model}/", {"q": "Norwich"})
    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()


def test_changelist_queries_stay_flat(admin_client, db, django_assert_max_num_queries):
    ProjectFactory()
    with django_assert_max_num_queries(14):
        admin_client.get("/admin/programme/project/")
    ProjectFactory.create_batch(30)
    with django_assert_max_num_queries(14):
        admin_client.get("/admin/programme/project/")


def test_formatted_text_uses_the_rich_text_editor(admin_client, demo_content):
    strand = Strand.objects.get(slug="shahrazad")
    content = admin_client.get(f"/admin/programme/strand/{strand.pk}/change/").content.decode()
    assert "data-django-prose-editor-configurable" in content
    assert "django_prose_editor/editor" in content
    # The import map carries this response's CSP nonce.
    assert 'type="importmap" nonce="' in content


def test_pasted_scripts_never_reach_the_database_through_admin(admin_client, db):
    strand = StrandFactory()
    response = admin_client.post(
        f"/admin/programme/strand/{strand.pk}/change/",
        {
            "title": strand.title,
            "slug": strand.slug,
            "summary": strand.summary,
            "body": '<p style="color:red" onmouseover="x()">Hi<script>alert(1)</script></p>'
            '<iframe src="https://evil.example"></iframe>',
            "order": 1,
            "status": "published",
            "projects-TOTAL_FORMS": "0",
            "projects-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    strand.refresh_from_db()
    assert strand.body == "<p>Hi</p>"


def test_publish_and_unpublish_actions(admin_client, db):
    drafts = StrandFactory.create_batch(2, status="draft")
    admin_client.post(
        "/admin/programme/strand/",
        {"action": "publish", "_selected_action": [s.pk for s in drafts]},
    )
    assert Strand.objects.published().count() == 2
    admin_client.post(
        "/admin/programme/strand/",
        {"action": "unpublish", "_selected_action": [drafts[0].pk]},
    )
    assert Strand.objects.published().count() == 1


def test_view_on_site_previews_a_draft(admin_client, db):
    draft = PageFactory(status="draft", title="Annual report draft")
    content = admin_client.get(f"/admin/programme/page/{draft.pk}/change/").content.decode()
    assert "View on site" in content
    preview = admin_client.get(draft.get_absolute_url()).content.decode()
    assert "Annual report draft" in preview
    assert "Preview" in preview


def test_staff_preview_a_hidden_writer_the_public_cannot_see(admin_client, client, db):
    writer = WriterFactory(visibility="hidden", name="Not yet agreed")
    assert client.get(writer.get_absolute_url()).status_code == 404
    preview = admin_client.get(writer.get_absolute_url()).content.decode()
    assert "this profile is not public" in preview


def test_content_editors_edit_the_programme_and_nothing_else(content_editor, db):
    StrandFactory()
    PartnerFactory()
    for model in CHANGELISTS:
        assert content_editor.get(f"/admin/programme/{model}/").status_code == 200
    assert content_editor.get("/admin/programme/strand/add/").status_code == 200
    assert content_editor.get("/admin/auth/user/").status_code == 403
    assert content_editor.get("/admin/auth/group/").status_code == 403
    # The home page can be edited but not deleted or duplicated.
    assert content_editor.get("/admin/programme/homepage/add/").status_code in {200, 403}
