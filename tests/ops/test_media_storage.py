"""The image pipeline on S3-compatible object storage (moto's server), in this process."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.images import rendition_name, save_clean_image
from tests.programme.images import phone_photo

pytestmark = pytest.mark.slow


@pytest.fixture
def storage(s3_bucket):
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=s3_bucket["AWS_STORAGE_BUCKET_NAME"],
        endpoint_url=s3_bucket["AWS_S3_ENDPOINT_URL"],
        region_name=s3_bucket["AWS_S3_REGION_NAME"],
        access_key=s3_bucket["AWS_ACCESS_KEY_ID"],
        secret_key=s3_bucket["AWS_SECRET_ACCESS_KEY"],
        addressing_style="path",
        location="media",
        file_overwrite=False,  # as settings.py has it
        default_acl=None,
    )


def test_clean_images_and_renditions_are_stored_in_the_bucket(storage):
    from tests.ops.conftest import http_client

    name = f"writers/{uuid.uuid4().hex}/portrait.jpg"
    first = save_clean_image(storage, name, phone_photo(1400, 1000, orientation=1))
    # A second upload with the same name gets a name of its own, as on disk.
    second = save_clean_image(storage, name, phone_photo(700, 500, orientation=1))
    assert first != second
    for stored, widths in ((first, [320, 640, 960, 1280, 1400]), (second, [320, 640, 700])):
        assert storage.exists(stored)
        for width in widths:
            assert storage.exists(rendition_name(stored, width, "webp"))
            assert storage.exists(rendition_name(stored, width, "jpg"))

    # What the bucket serves is the cleaned image: no EXIF (so no GPS position).
    response = http_client().get(storage.url(first))
    assert response.status_code == 200
    with Image.open(io.BytesIO(response.content)) as served:
        assert served.size == (1400, 1000)
        assert not served.getexif()

    storage.delete(first)
    assert not storage.exists(first)


def test_a_png_with_transparency_keeps_it_in_the_bucket(storage):
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (10, 20, 30, 0)).save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    stored = save_clean_image(storage, f"partners/{uuid.uuid4().hex}.png", upload)
    assert stored.endswith(".png")
    assert storage.exists(rendition_name(stored, 400, "png"))
    assert storage.exists(rendition_name(stored, 400, "webp"))


def test_on_a_bucket_names_are_random_and_a_withheld_portrait_answers_404(s3_bucket, storage):
    """The served prefix and the withheld prefix of one bucket, as settings.py sets them."""
    from core import media
    from core.images import store_clean_image, stored_file_names
    from refuge.storage import MediaS3Storage, WithheldS3Storage
    from tests.ops.conftest import http_client

    options = {
        "bucket_name": s3_bucket["AWS_STORAGE_BUCKET_NAME"],
        "endpoint_url": s3_bucket["AWS_S3_ENDPOINT_URL"],
        "region_name": s3_bucket["AWS_S3_REGION_NAME"],
        "access_key": s3_bucket["AWS_ACCESS_KEY_ID"],
        "secret_key": s3_bucket["AWS_SECRET_ACCESS_KEY"],
        "addressing_style": "path",
        "file_overwrite": False,
    }
    served = MediaS3Storage(location="media", default_acl=None, **options)
    withheld = WithheldS3Storage(location="withheld", default_acl="private", **options)

    stored = store_clean_image(served, "writers/upload", phone_photo(name="LEGALNAME.jpg"))
    assert "LEGALNAME" not in stored.name
    names = stored_file_names(stored.name, stored.width)
    urls = [served.url(name) for name in names]
    first = http_client().get(urls[0])
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "private, max-age=300"

    media._move(names, source=served, target=withheld)
    for url in urls:
        assert http_client().get(url).status_code in {403, 404}, url
    assert all(withheld.exists(name) for name in names)

    media._move(names, source=withheld, target=served)
    assert http_client().get(urls[0]).status_code == 200
