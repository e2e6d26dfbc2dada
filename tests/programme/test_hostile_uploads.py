"""Hostile uploads get a clear form error in the admin, and nothing is stored."""

import pytest
from django.core.files.storage import storages

from programme.models import Writer
from tests.programme.images import (
    image_with_extension,
    not_an_image,
    phone_photo,
    png_bomb,
    png_html_polyglot,
    svg_with_script,
    truncated_jpeg,
)

pytestmark = pytest.mark.django_db

CASES = {
    "png+html polyglot": (png_html_polyglot, "contains web page code"),
    "svg with script": (svg_with_script, "not an image we can read"),
    "50,000 × 50,000 bomb": (lambda: png_bomb(50_000, 50_000), "This image is too large"),
    "70,000 × 700 (beyond JPEG's 65,535 a side)": (
        lambda: png_bomb(70_000, 700),
        "each side can be at most 12000 pixels",
    ),
    "1 × 40,000,000 strip": (
        lambda: png_bomb(1, 40_000_000),
        "each side can be at most 12000 pixels",
    ),
    "truncated jpeg": (truncated_jpeg, "damaged or incomplete"),
    "pdf called .jpg": (not_an_image, "not an image we can read"),
    "image called .php": (
        lambda: image_with_extension("php"),
        "File extension “php” is not allowed",
    ),
    "image called .html": (lambda: image_with_extension("html"), "is not allowed"),
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def writer_form(portrait):
    return {
        "name": "Upload test",
        "slug": "upload-test",
        "visibility": "hidden",
        "portrait": portrait,
        "portrait_alt": "A portrait",
        "works-TOTAL_FORMS": "0",
        "works-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize("case", CASES, ids=CASES.keys())
def test_each_hostile_upload_gets_a_clear_form_error(admin_client, media_root, case):
    make_file, message = CASES[case]
    response = admin_client.post("/admin/programme/writer/add/", writer_form(make_file()))
    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert 'value="Upload test"' in content  # what was typed is kept
    assert not Writer.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_an_oversized_file_gets_a_clear_form_error(admin_client, settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 50_000
    response = admin_client.post(
        "/admin/programme/writer/add/", writer_form(phone_photo(2000, 1500))
    )
    assert "images can be at most" in response.content.decode()


def test_an_image_with_the_wrong_but_harmless_extension_is_stored_by_its_real_type(
    admin_client, media_root
):
    png_named_jpg = image_with_extension("jpg")
    response = admin_client.post("/admin/programme/writer/add/", writer_form(png_named_jpg))
    assert response.status_code == 302
    writer = Writer.objects.get()
    assert writer.portrait.name.endswith(".jpg")
    # A hidden writer's portrait is withheld: stored where nothing serves it.
    with storages["withheld"].open(writer.portrait.name) as stored:
        assert stored.read(3) == b"\xff\xd8\xff"  # a JPEG now
