"""Uploaded images: metadata (GPS!) never stored, bad files refused, renditions made."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from core.images import rendition_name, rendition_widths, validate_image_upload
from programme.models import Writer
from tests.programme.factories import StrandFactory, WriterFactory
from tests.programme.images import GPS_IFD, not_an_image, phone_photo, png_bomb

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def assert_no_metadata(path):
    raw = path.read_bytes()
    assert b"Exif" not in raw
    assert b"PhoneMaker" not in raw
    with Image.open(path) as image:
        assert not image.getexif()
        assert image.getexif().get_ifd(GPS_IFD) == {}
        assert "exif" not in image.info
        assert "icc_profile" not in image.info
        assert "xmp" not in image.info


def test_a_phone_photo_loses_gps_and_all_metadata_and_is_turned_upright(media_root):
    writer = WriterFactory(
        portrait=phone_photo(1600, 1200, orientation=6), portrait_alt="A", show_portrait=True
    )
    stored = media_root / writer.portrait.name
    assert_no_metadata(stored)
    # EXIF orientation 6 means "rotate 90°": the stored image is portrait, not landscape.
    assert (writer.portrait_width, writer.portrait_height) == (1200, 1600)
    with Image.open(stored) as image:
        assert image.size == (1200, 1600)


def test_renditions_are_made_in_webp_and_jpeg_without_metadata(media_root):
    writer = WriterFactory(
        portrait=phone_photo(1600, 1200, orientation=1), portrait_alt="A", show_portrait=True
    )
    widths = rendition_widths(1600)
    assert widths == [320, 640, 960, 1280, 1600]
    for width in widths:
        for extension in ("webp", "jpg"):
            path = media_root / rendition_name(writer.portrait.name, width, extension)
            assert path.exists(), path
            assert_no_metadata(path)
            with Image.open(path) as image:
                assert image.width == width


def test_small_images_are_never_upscaled():
    assert rendition_widths(300) == [300]
    assert rendition_widths(4000)[-1] == 1920


def test_a_decompression_bomb_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(png_bomb())
    assert error.value.code == "too_many_pixels"
    assert "too large" in error.value.messages[0]


def test_too_many_pixels_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as error:
        validate_image_upload(phone_photo(1600, 1200))
    assert error.value.code == "too_many_pixels"


def test_a_file_that_is_not_an_image_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image_upload(not_an_image())
    assert error.value.code == "not_an_image"
    assert "not an image we can read" in error.value.messages[0]


def test_an_oversized_file_is_refused(settings):
    settings.IMAGE_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_image_upload(phone_photo(400, 300))
    assert error.value.code == "file_too_large"
    assert "at most 1000" in error.value.messages[0]


def test_a_gif_is_refused_as_unsupported():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    with pytest.raises(ValidationError) as error:
        validate_image_upload(SimpleUploadedFile("a.gif", buffer.getvalue()))
    assert error.value.code == "unsupported_format"


def test_an_image_needs_a_description():
    strand = StrandFactory.build(image=phone_photo(), image_alt="")
    with pytest.raises(ValidationError) as error:
        strand.full_clean()
    assert "image_alt" in error.value.message_dict


def test_staff_upload_a_phone_photo_in_admin_and_the_page_serves_a_clean_image(
    admin_client, client, media_root
):
    response = admin_client.post(
        "/admin/programme/writer/add/",
        {
            "name": "Poet with a phone",
            "slug": "poet-with-a-phone",
            "visibility": "public",
            "consent_recorded_on": "2026-01-05",
            "consent_scope": "Name, biography and portrait.",
            "portrait": phone_photo(),
            "portrait_alt": "The poet at a reading in the Forum",
            "show_portrait": "on",
            "languages": "Persian, English",
            "genres": "poetry",
            "works-TOTAL_FORMS": "0",
            "works-INITIAL_FORMS": "0",
            "quotes-TOTAL_FORMS": "0",
            "quotes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    writer = Writer.objects.get(slug="poet-with-a-phone")
    assert writer.languages == ["Persian", "English"]
    page = client.get(writer.get_absolute_url()).content.decode()
    assert 'alt="The poet at a reading in the Forum"' in page
    assert "image/webp" in page
    for url in {part.split()[0] for part in page.split('srcset="')[1].split('"')[0].split(", ")}:
        name = url.removeprefix("/media/")
        assert default_storage.exists(name)
        assert_no_metadata(media_root / name)


def test_admin_shows_a_clear_error_for_a_bomb_and_keeps_the_other_fields(admin_client):
    response = admin_client.post(
        "/admin/programme/writer/add/",
        {
            "name": "Bomb test",
            "slug": "bomb-test",
            "visibility": "hidden",
            "portrait": png_bomb(),
            "portrait_alt": "x",
            "works-TOTAL_FORMS": "0",
            "works-INITIAL_FORMS": "0",
            "quotes-TOTAL_FORMS": "0",
            "quotes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This image is too large" in content
    assert 'value="Bomb test"' in content
    assert not Writer.objects.filter(slug="bomb-test").exists()


def test_a_huge_photo_is_stored_cut_down_so_every_upload_is_bounded_work(media_root):
    """A 7,000 by 7,000 PNG once took ~30 s and 1.3 GB; the stored master is now at most
    MASTER_MAX_SIDE, decoded once and reduced before any other work."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.images import MASTER_MAX_SIDE

    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((7000, 7000)).save(buffer, "PNG", compress_level=1)
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")
    validate_image_upload(upload)
    strand = StrandFactory(image=upload, image_alt="A gradient")
    assert (strand.image_width, strand.image_height) == (MASTER_MAX_SIDE, MASTER_MAX_SIDE)
    with Image.open(media_root / strand.image.name) as stored:
        assert stored.size == (MASTER_MAX_SIDE, MASTER_MAX_SIDE)
    assert rendition_widths(strand.image_width)[-1] == 1920
