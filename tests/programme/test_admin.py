"""The programme's admin: changelists, search, actions, the editor, and who may do what."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

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
            "title_en": strand.title,
            "slug": strand.slug,
            "summary_en": strand.summary,
            "body_en": '<p style="color:red" onmouseover="x()">Hi<script>alert(1)</script></p>'
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
    assert Client().get(writer.get_absolute_url()).status_code == 404
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


# ---- writers' bulk actions: a save each, so history and the public site follow


def writer_action(client, action, writers, **extra):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    return client.post(
        "/admin/programme/writer/",
        {"action": action, ACTION_CHECKBOX_NAME: [w.pk for w in writers], **extra},
    )


def test_hide_and_make_unlisted_actions_go_through_a_save_each(content_editor):
    from programme.models import Writer, WriterVisibility

    first, second = WriterFactory(), WriterFactory()
    response = writer_action(content_editor, "make_hidden", [first])
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.visibility == WriterVisibility.HIDDEN
    assert first.history.first().history_change_reason == "Hidden by bulk action"
    writer_action(content_editor, "make_unlisted", [first, second])
    assert set(Writer.objects.values_list("visibility", flat=True)) == {"unlisted"}
    assert second.slug not in Client().get("/writers/").content.decode()


def test_withdrawn_consent_asks_for_a_note_then_unpublishes(content_editor):
    writer = WriterFactory(name="Jiao Example")
    assert Client().get(writer.get_absolute_url()).status_code == 200
    page = writer_action(content_editor, "withdraw_consent", [writer])
    assert page.status_code == 200
    assert "Jiao Example" in page.content.decode()
    assert 'name="note"' in page.content.decode()
    writer.refresh_from_db()
    assert writer.consent_withdrawn_on is None
    empty = writer_action(content_editor, "withdraw_consent", [writer], note="")
    assert "This field is required" in empty.content.decode()
    done = writer_action(content_editor, "withdraw_consent", [writer], note="Email, 3 March")
    assert done.status_code == 302
    writer.refresh_from_db()
    assert writer.consent_withdrawn_on is not None
    assert writer.history.first().history_change_reason == "Email, 3 March"
    assert Client().get(writer.get_absolute_url()).status_code == 404


def test_the_writer_filters_have_no_empty_entry(admin_client):
    WriterFactory(strand=StrandFactory(title="Writer in Residence"))
    content = admin_client.get("/admin/programme/writer/").content.decode()
    assert "strand__isnull" not in content


def test_admin_sections_are_named_in_the_programmes_words(admin_client):
    content = admin_client.get("/admin/").content.decode()
    for name in ("Two-factor devices", "Recovery codes", "Login lockouts", "Staff accounts"):
        assert name in content
    for name in ("Otp_Totp", "Otp_Static", "Axes", "Access logs", "Access failures"):
        assert name not in content
    breadcrumbs = admin_client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "Two-factor devices" in breadcrumbs


def test_the_writer_form_explains_consent_visibility_and_withheld_details(admin_client):
    content = admin_client.get("/admin/programme/writer/add/").content.decode()
    assert '<ol class="writer-checklist">' in content
    assert "Consent first" in content
    assert "Unlisted is reachable only by its link" in content
    assert "the country and the portrait stay private" in content


def test_the_admin_home_says_what_to_do_first(admin_client, content_editor):
    content = admin_client.get("/admin/").content.decode()
    assert 'id="first-steps-panel"' in content
    assert "Add the current writer" in content
    assert "Work through new volunteers" in content
    editor_home = content_editor.get("/admin/").content.decode()
    assert "Check next month&#x27;s events" in editor_home or "Check next month" in editor_home
    assert "Work through new volunteers" not in editor_home
