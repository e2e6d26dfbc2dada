"""Writings in the admin: versions inline, each text area in its language's direction,
exactly one original, and the content editor's role (issue 16)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from programme.models import Writing, WritingVersion
from tests.admin_forms import form_data, post_back
from tests.conftest import verify_second_factor
from tests.programme.factories import WriterFactory, writing_with_translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_editor(client):
    user = get_user_model().objects.create_user(
        "editor", password="a-long-password-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Content editor"))
    verify_second_factor(client, user)
    return client


def test_the_changelist_shows_languages_and_searches_versions(
    admin_client, django_assert_max_num_queries
):
    writing_with_translation(title="Window")
    with django_assert_max_num_queries(14) as small:
        response = admin_client.get("/admin/programme/writing/")
    content = response.content.decode()
    assert "fa (original), en" in content
    for _ in range(10):
        writing_with_translation()
    # The first request also warms Django's own caches (content types): a ceiling, as
    # the other changelists' tests have, that more writings do not raise.
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get("/admin/programme/writing/")
    found = admin_client.get("/admin/programme/writing/", {"q": "پنجره"}).content.decode()
    assert ">Window</a>" in found
    by_translator = admin_client.get("/admin/programme/writing/", {"q": "Sam Example"})
    assert ">Window</a>" in by_translator.content.decode()


def test_text_areas_follow_the_versions_direction(admin_client):
    writing = writing_with_translation()
    content = admin_client.get(f"/admin/programme/writing/{writing.pk}/change/").content.decode()
    assert 'name="versions-0-text" cols="60" rows="12" dir="rtl" lang="fa"' in content
    assert 'name="versions-1-text" cols="60" rows="12" dir="ltr" lang="en"' in content
    add = admin_client.get("/admin/programme/writing/add/").content.decode()
    assert 'name="versions-0-text" cols="60" rows="12" dir="auto"' in add
    assert 'name="versions-0-title"' in add
    assert 'dir="auto"' in add.split('name="versions-0-title"')[1].split(">")[0]


def add_data(admin_client, writer, **versions):
    data = form_data(
        admin_client.get("/admin/programme/writing/add/").content.decode(), "writing_form"
    )
    data.update(
        writer=[str(writer.pk)], title=["Window"], slug=["window"], kind=["poem"],
        status=["published"],
        **{
            "versions-TOTAL_FORMS": ["2"],
            "versions-0-language": ["FA-ir"], "versions-0-is_original": ["on"],
            "versions-0-title": ["پنجره"], "versions-0-text": ["یک\r\nدو\r\n\r\nسه"],
            "versions-0-status": ["published"],
            "versions-1-language": ["en"], "versions-1-title": ["Window"],
            "versions-1-text": ["One\r\ntwo"], "versions-1-translator": ["Sam Example"],
            "versions-1-bridge_translator": ["Roya Example"],
            "versions-1-status": ["published"],
        },
    )  # fmt: skip
    data.update(versions)
    data["_save"] = ["Save"]
    return data


def test_add_a_writing_with_its_versions_then_save_it_again_unchanged(admin_client):
    writer = WriterFactory()
    response = admin_client.post("/admin/programme/writing/add/", add_data(admin_client, writer))
    assert response.status_code == 302, response.content.decode()[:3000]
    writing = Writing.objects.get(slug="window")
    original, translation = writing.versions.all()
    assert (original.language, original.is_original, original.direction) == ("fa-IR", True, "rtl")
    assert original.text.replace("\r\n", "\n") == "یک\nدو\n\nسه"
    assert translation.bridge_translator == "Roya Example"
    # A second save, posted back as the browser holds the page: nothing lost or doubled.
    url = f"/admin/programme/writing/{writing.pk}/change/"
    again = post_back(admin_client, url, form_id="writing_form")
    assert again.status_code == 302
    assert WritingVersion.objects.filter(writing=writing).count() == 2
    assert writing.versions.get(is_original=True).title == "پنجره"
    assert admin_client.get(writing.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("originals", [0, 2])
def test_exactly_one_original_is_asked_for(admin_client, originals):
    writer = WriterFactory()
    extra = {"versions-0-is_original": ["on"] if originals else []}
    if originals == 2:
        extra["versions-1-is_original"] = ["on"]
        extra["versions-1-translator"] = [""]
        extra["versions-1-bridge_translator"] = [""]
    data = add_data(admin_client, writer)
    data.update(extra)
    if not originals:
        data.pop("versions-0-is_original")
    response = admin_client.post("/admin/programme/writing/add/", data)
    assert response.status_code == 200
    assert "Mark exactly one version as the original" in response.content.decode()
    assert not Writing.objects.exists()


def test_a_malformed_language_is_refused_with_a_clear_message(admin_client):
    data = add_data(admin_client, WriterFactory(), **{"versions-1-language": ["English"]})
    response = admin_client.post("/admin/programme/writing/add/", data)
    assert response.status_code == 200
    assert "is not a language tag" in response.content.decode()


def test_content_editors_edit_writings_and_preview_drafts(content_editor):
    writing = writing_with_translation(status="draft")
    assert content_editor.get("/admin/programme/writing/").status_code == 200
    assert content_editor.get("/admin/programme/writing/add/").status_code == 200
    change = content_editor.get(f"/admin/programme/writing/{writing.pk}/change/")
    assert change.status_code == 200
    preview = content_editor.get(writing.get_absolute_url()).content.decode()
    assert "Preview: this writing is not public" in preview


def test_staff_can_move_the_original_to_another_version_in_one_save(admin_client):
    writing = writing_with_translation()
    url = f"/admin/programme/writing/{writing.pk}/change/"
    response = post_back(
        admin_client,
        url,
        {
            "versions-0-is_original": None,
            "versions-0-translator": "Sam Example",
            "versions-1-is_original": "on",
            "versions-1-translator": "",
            "versions-1-bridge_translator": "",
        },
        form_id="writing_form",
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert writing.versions.get(is_original=True).language == "en"
