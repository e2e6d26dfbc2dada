"""Shared state for several app servers: the cache and media storage follow the environment."""

import json
import uuid

import pytest

from tests.refuge.test_settings import PRODUCTION_ENV, run_manage

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'cache': s.CACHES['default'], 'media': s.STORAGES['default'], "
    "'withheld': s.STORAGES['withheld'], 'img_src': s.SECURE_CSP['img-src']}, default=str))"
)


def shown(**env) -> dict:
    result = run_manage("shell", "--no-imports", "-c", SHOW, env=PRODUCTION_ENV | env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_by_default_the_cache_is_postgresql_and_media_local_disk():
    settings = shown(REDIS_URL="", AWS_STORAGE_BUCKET_NAME="")
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings["media"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert settings["withheld"]["BACKEND"] == "refuge.storage.WithheldFileSystemStorage"
    assert settings["img_src"] == ["'self'", "data:"]


def test_redis_url_moves_the_cache_to_redis():
    settings = shown(REDIS_URL="redis://cache.internal:6379/2", CACHE_KEY_PREFIX="norwich")
    assert settings["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert settings["cache"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert settings["cache"]["KEY_PREFIX"] == "norwich"


def test_a_bucket_moves_media_to_object_storage_and_allows_its_images():
    settings = shown(
        AWS_STORAGE_BUCKET_NAME="refuge-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net/",
        AWS_S3_REGION_NAME="eu-west-2",
    )
    options = settings["media"]["OPTIONS"]
    assert settings["media"]["BACKEND"] == "refuge.storage.MediaS3Storage"
    assert options["bucket_name"] == "refuge-media"
    assert options["endpoint_url"] == "https://s3.example.net"
    assert options["file_overwrite"] is False  # a second "photo.jpg" never replaces the first
    assert options["querystring_auth"] is True  # a private bucket works without a CDN
    assert options["location"] == "media"
    assert "https://s3.example.net" in settings["img_src"]
    # Withheld images: the same bucket, their own private prefix, signed URLs only.
    withheld = settings["withheld"]
    assert withheld["BACKEND"] == "refuge.storage.WithheldS3Storage"
    assert withheld["OPTIONS"]["bucket_name"] == "refuge-media"
    assert withheld["OPTIONS"]["location"] == "withheld"
    assert withheld["OPTIONS"]["querystring_auth"] is True
    assert withheld["OPTIONS"]["custom_domain"] is None


def test_behind_a_cdn_media_urls_are_plain_and_the_cdn_is_allowed():
    settings = shown(
        AWS_STORAGE_BUCKET_NAME="refuge-media", AWS_S3_CUSTOM_DOMAIN="media.example.org"
    )
    assert settings["media"]["OPTIONS"]["querystring_auth"] is False
    assert settings["media"]["OPTIONS"]["custom_domain"] == "media.example.org"
    # Never through the CDN: a withheld portrait stays behind signed URLs.
    assert settings["withheld"]["OPTIONS"]["custom_domain"] is None
    assert settings["withheld"]["OPTIONS"]["querystring_auth"] is True
    assert settings["img_src"] == ["'self'", "data:", "https://media.example.org"]


def test_the_redis_cache_is_shared_between_clients():
    """Two cache clients, as two app servers would have, on this machine's Redis."""
    from django.core.cache.backends.redis import RedisCache

    params = {"KEY_PREFIX": f"refuge-test-{uuid.uuid4().hex}", "TIMEOUT": 60}
    one = RedisCache("redis://127.0.0.1:6379/15", params)
    two = RedisCache("redis://127.0.0.1:6379/15", params)
    try:
        one.set("next-event", "A reading at the Forum")
    except Exception as error:
        pytest.fail(f"This machine's Redis (127.0.0.1:6379) is needed: {error}")
    assert two.get("next-event") == "A reading at the Forum"
    two.delete("next-event")
    assert one.get("next-event") is None


@pytest.mark.django_db
def test_the_database_cache_table_exists_in_the_test_database():
    from django.core.cache import cache

    cache.set("strands", ["Community Programme"], 30)
    assert cache.get("strands") == ["Community Programme"]
