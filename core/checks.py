"""System checks: settings that would serve what must stay withheld."""

from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.checks import Error, register


def _inside(inner: PurePosixPath | Path, outer: PurePosixPath | Path) -> bool:
    return inner == outer or outer in inner.parents


@register("security", deploy=False)
def withheld_media_is_never_served(app_configs=None, **kwargs) -> list[Error]:
    """Withheld images (a hidden writer's portrait) must live outside what is served."""
    errors = []
    default = settings.STORAGES.get("default", {})
    withheld = settings.STORAGES.get("withheld", {})
    if "location" in withheld.get("OPTIONS", {}) and "bucket_name" in default.get("OPTIONS", {}):
        served = PurePosixPath("/", default["OPTIONS"].get("location") or "")
        hidden = PurePosixPath("/", withheld["OPTIONS"].get("location") or "")
        same_bucket = default["OPTIONS"]["bucket_name"] == withheld["OPTIONS"].get("bucket_name")
        if same_bucket and _inside(hidden, served):
            errors.append(
                Error(
                    "Withheld images would be served: AWS_WITHHELD_LOCATION lies inside "
                    "AWS_LOCATION in the same bucket.",
                    hint="Give media a prefix of its own (AWS_LOCATION=media) and keep "
                    "withheld images beside it (AWS_WITHHELD_LOCATION=withheld).",
                    id="core.E001",
                )
            )
    elif "bucket_name" not in default.get("OPTIONS", {}):
        media_root = Path(settings.MEDIA_ROOT).resolve()
        withheld_root = Path(settings.WITHHELD_MEDIA_ROOT).resolve()
        if _inside(withheld_root, media_root):
            errors.append(
                Error(
                    "Withheld images would be served: WITHHELD_MEDIA_ROOT lies inside "
                    "MEDIA_ROOT, which the web server publishes.",
                    hint="Set WITHHELD_MEDIA_ROOT to a folder outside MEDIA_ROOT.",
                    id="core.E002",
                )
            )
    return errors
