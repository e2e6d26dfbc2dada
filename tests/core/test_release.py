"""The release is part of the content generation: a deploy that changes templates, CSS or
JS retires every kept page and fragment, and costs nothing per request."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.caching.generation import read_content_generation

HOME = "/"


def release_of(settings, tmp_path, fresh_release) -> str:
    """The release derived for a project at `tmp_path` (templates/, static/)."""
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path / "templates"],
        }
    ]
    settings.STATICFILES_DIRS = [tmp_path / "static"]
    fresh_release.cache_clear()
    return fresh_release()


@pytest.fixture
def project(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "static" / "css").mkdir(parents=True)
    (tmp_path / "templates" / "base.html").write_text("<main>{% block content %}{% endblock %}")
    (tmp_path / "static" / "css" / "site.css").write_text("main { margin-inline: auto; }")
    return tmp_path


def test_the_release_setting_names_the_release(settings, fresh_release):
    settings.RELEASE = "2026.12.01-a1b2c3"
    assert fresh_release() == "2026.12.01-a1b2c3"


def test_a_template_change_is_a_new_release(settings, project, fresh_release):
    before = release_of(settings, project, fresh_release)
    assert release_of(settings, project, fresh_release) == before  # the same files, the same
    (project / "templates" / "base.html").write_text("<main id=top>{% block content %}")
    assert release_of(settings, project, fresh_release) != before


def test_a_stylesheet_change_is_a_new_release(settings, project, fresh_release):
    before = release_of(settings, project, fresh_release)
    (project / "static" / "css" / "site.css").write_text("main { margin-inline: 1rem; }")
    assert release_of(settings, project, fresh_release) != before


def test_with_a_static_manifest_the_manifest_names_the_static_files(
    settings, project, fresh_release
):
    """After collectstatic the manifest (hashes of every file's content) stands for them."""
    settings.STATIC_ROOT = project / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT.mkdir()
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    manifest.write_text(json.dumps({"paths": {"css/site.css": "css/site.1.css"}, "version": "1.1"}))
    before = release_of(settings, project, fresh_release)
    (project / "static" / "css" / "site.css").write_text("not collected yet")
    assert release_of(settings, project, fresh_release) == before
    manifest.write_text(json.dumps({"paths": {"css/site.css": "css/site.2.css"}, "version": "1.1"}))
    assert release_of(settings, project, fresh_release) != before


def test_the_generation_carries_the_release(settings, caches_on, fresh_release):
    settings.RELEASE = "r1"
    fresh_release.cache_clear()
    first = read_content_generation()
    settings.RELEASE = "r2"
    fresh_release.cache_clear()
    second = read_content_generation()
    assert first.endswith(".r1")
    assert second.endswith(".r2")
    assert first.removesuffix(".r1") == second.removesuffix(".r2")  # the content is the same


def test_a_new_release_is_not_served_the_old_releases_pages(
    settings, caches_on, demo_content, fresh_release, django_assert_num_queries
):
    settings.RELEASE = "before-the-deploy"
    fresh_release.cache_clear()
    client = Client()
    client.get(HOME)
    with django_assert_num_queries(0):
        assert client.get(HOME).status_code == 200  # from the page cache
    settings.RELEASE = "after-the-deploy"
    fresh_release.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        fresh = Client().get(HOME)
    assert fresh.status_code == 200
    assert len(queries) > 0  # rendered afresh: neither the old page nor its fragments
    with django_assert_num_queries(0):
        assert Client().get(HOME).content == fresh.content


def test_the_release_is_worked_out_once_per_process(settings, fresh_release):
    settings.RELEASE = ""
    fresh_release.cache_clear()
    fresh_release()
    assert fresh_release.cache_info().misses == 1
    for _ in range(3):
        read_content_generation()
    assert fresh_release.cache_info().misses == 1
