"""Static files in production: hashed, compressed names, served with far-future caching."""

import io

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.static  # runs collectstatic

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "refuge.storage.StaticFilesStorage"},
}


def test_collected_static_is_hashed_compressed_and_cached_for_a_year(tmp_path, db):
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", "--noinput", stdout=io.StringIO())
        hashed_css = sorted(tmp_path.glob("css/portal.*.css"))
        assert hashed_css, "portal.css was not given a hashed name"
        assert hashed_css[0].with_name(hashed_css[0].name + ".gz").exists()

        client = Client()
        home = client.get("/").content.decode()
        url = f"/static/css/{hashed_css[0].name}"
        assert url in home  # pages link the hashed name
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in response["Cache-Control"]
        assert "immutable" in response["Cache-Control"]
