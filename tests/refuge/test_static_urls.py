"""Static files' addresses are remembered per process (refuge.storage.StaticFilesStorage)
and stay what whitenoise's manifest says."""

import json

import pytest

from refuge.storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    (tmp_path / "staticfiles.json").write_text(
        json.dumps({"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1"})
    )
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_an_address_is_the_manifests_and_is_worked_out_once(storage, monkeypatch):
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    monkeypatch.setattr(storage, "stored_name", pytest.fail)  # the manifest is not asked
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"


def test_with_debug_the_unhashed_file_is_linked(storage, settings):
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    settings.DEBUG = True
    assert storage.url("css/site.css") == "/static/css/site.css"


def test_a_file_missing_from_the_manifest_is_still_an_error(storage):
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/missing.css")
    with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
        storage.url("css/missing.css")
