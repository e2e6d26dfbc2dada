"""The portal refuses to start with withheld images where the web server serves them."""

from core.checks import withheld_media_is_never_served


def test_the_default_layout_passes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WITHHELD_MEDIA_ROOT = tmp_path / "withheld-media"
    assert withheld_media_is_never_served() == []


def test_withheld_media_inside_media_root_is_an_error(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.WITHHELD_MEDIA_ROOT = tmp_path / "media" / "withheld"
    assert [error.id for error in withheld_media_is_never_served()] == ["core.E002"]


def test_a_withheld_prefix_under_the_served_prefix_of_one_bucket_is_an_error(settings):
    options = {"bucket_name": "refuge", "location": ""}
    settings.STORAGES = {
        "default": {"BACKEND": "refuge.storage.MediaS3Storage", "OPTIONS": options},
        "withheld": {
            "BACKEND": "refuge.storage.WithheldS3Storage",
            "OPTIONS": {**options, "location": "withheld"},
        },
        "staticfiles": settings.STORAGES["staticfiles"],
    }
    assert [error.id for error in withheld_media_is_never_served()] == ["core.E001"]
    settings.STORAGES["default"]["OPTIONS"] = {**options, "location": "media"}
    assert withheld_media_is_never_served() == []
