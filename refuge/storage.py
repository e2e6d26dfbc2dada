"""Storages. Media: `default` is served to the world, `withheld` never is.

A withheld image (a hidden writer's portrait, one staff chose not to show) is
moved out of `default` into `withheld`, so every URL it ever had answers 404,
and moved back when it may be shown again, without a new upload.

Static files: whitenoise's hashed, compressed names, each address remembered.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Portraits may have to disappear at any moment: only the visitor's own browser
# keeps them, briefly. Other media may be replaced, so nothing is kept for long.
PRIVATE_CACHE = "private, max-age=300"
PUBLIC_CACHE = "public, max-age=3600"
PRIVATE_FOLDERS = {"writers"}


def cache_control(name: str) -> str:
    """`name` may carry the bucket's key prefix (`media/writers/…`)."""
    folders = set(PurePosixPath(name).parent.parts)
    return PRIVATE_CACHE if folders & PRIVATE_FOLDERS else PUBLIC_CACHE


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """whitenoise's storage, with each file's address remembered: every page rendered
    asks for its stylesheets, scripts, icons and card drawings by name, and the
    manifest's lookup and quoting cost a twentieth of a page served from fragments.
    The manifest is read once, when a process starts; a deploy starts new ones."""

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        key = (name, settings.DEBUG)  # with DEBUG, Django links the unhashed file
        try:
            return self._urls[key]
        except KeyError:
            url = self._urls[key] = super().url(name)
            return url

    @cached_property
    def _urls(self) -> dict:
        return {}


class WithheldFileSystemStorage(FileSystemStorage):
    """Files on disk outside MEDIA_ROOT (WITHHELD_MEDIA_ROOT), which nothing serves."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.WITHHELD_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "WITHHELD_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        message = "Withheld files are never served, so they have no URL."
        raise ValueError(message)


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # pragma: no cover - django-storages is a dependency
    S3Storage = None

if S3Storage is not None:

    class MediaS3Storage(S3Storage):
        """Media in a bucket, each object with the cache lifetime its folder allows."""

        def get_object_parameters(self, name):
            return {**super().get_object_parameters(name), "CacheControl": cache_control(name)}

    class WithheldS3Storage(S3Storage):
        """Withheld media under their own key prefix: always private, never on the CDN."""

        def url(self, name, *args, **kwargs):
            message = "Withheld files are never served, so they have no URL."
            raise ValueError(message)
