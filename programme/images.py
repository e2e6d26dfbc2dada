"""Uploaded images: validated, cleaned of every byte of metadata, and cut into renditions.

Photos taken on a phone carry GPS coordinates in their EXIF data. For an exiled
writer that is a safety problem, so nothing of an upload is stored as sent:
the pixels are decoded, turned upright (EXIF orientation), converted to sRGB
and re-encoded into a brand-new file with no EXIF, XMP, ICC or text chunks.
Renditions (WebP plus a JPEG or PNG fallback) are made once, at upload, at
fixed widths, so pages can build `srcset` without touching storage.
"""

import io
import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Pillow's own bomb check fires at twice its limit; ours is explicit and lower.
Image.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_PIXELS
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}  # MPO: multi-picture JPEGs from phones
# Markup or code hidden inside an "image" (a polyglot) is refused outright, even
# though re-encoding would drop it: such a file is an attack, not a photo.
POLYGLOT_MARKERS = (b"<script", b"<html", b"<!doctype", b"<?php", b"<svg", b"<iframe",
                    b"<body", b"javascript:")  # fmt: skip
RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)


def validate_image_upload(file) -> None:
    """Reject what is not a photo we can safely process, with a message staff understand."""
    if file.size > settings.IMAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("This file is %(size)s; images can be at most %(limit)s.")
            % {
                "size": filesizeformat(file.size),
                "limit": filesizeformat(settings.IMAGE_MAX_UPLOAD_BYTES),
            },
            code="file_too_large",
        )
    file.seek(0)
    try:
        with Image.open(file) as image:  # reads the header only: cheap even for huge images
            image_format, (width, height) = image.format, image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise Image.DecompressionBombError
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("This image is too large (more than %(megapixels)s megapixels).")
            % {"megapixels": settings.IMAGE_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP photo."),
            code="not_an_image",
        ) from None
    finally:
        file.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a JPEG, PNG or WebP photo.")
            % {"format": image_format},
            code="unsupported_format",
        )
    if _contains_markup(file):
        raise ValidationError(
            _("This file contains web page code as well as an image, so it cannot be used."),
            code="polyglot",
        )
    try:
        with Image.open(file) as image:
            image.load()  # the whole picture, so a truncated file is caught here, not later
    except (OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This image is damaged or incomplete. Try exporting or uploading it again."),
            code="damaged",
        ) from None
    finally:
        file.seek(0)


def _contains_markup(file) -> bool:
    file.seek(0)
    tail = b""
    try:
        while chunk := file.read(1024 * 1024):
            window = (tail + chunk).lower()
            if any(marker in window for marker in POLYGLOT_MARKERS):
                return True
            tail = chunk[-16:]
        return False
    finally:
        file.seek(0)


def _to_srgb(image: Image.Image) -> Image.Image:
    """Phones shoot in wide-gamut profiles; the profile is dropped, so convert first."""
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        return ImageCms.profileToProfile(
            image.convert(mode), source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        logger.warning("Could not apply an uploaded image's colour profile; using it as is")
        return image


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA", "PA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def clean_image(file) -> Image.Image:
    """Decode an upload into a new image holding only pixels: upright, sRGB, no metadata."""
    file.seek(0)
    with Image.open(file) as source:
        source.load()
        upright = ImageOps.exif_transpose(source)
        upright = _to_srgb(upright)
        mode = "RGBA" if _has_alpha(upright) else "RGB"
        pixels = upright.convert(mode)
        # A brand-new image from raw pixels: nothing of the original's info survives.
        return Image.frombytes(mode, pixels.size, pixels.tobytes())


def encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    elif image_format == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def fallback_format(image: Image.Image) -> tuple[str, str]:
    return ("PNG", "png") if image.mode == "RGBA" else ("JPEG", "jpg")


def rendition_widths(original_width: int) -> list[int]:
    """The widths we cut for an image this wide (never upscaled)."""
    widths = [width for width in RENDITION_WIDTHS if width < original_width]
    widths.append(min(original_width, RENDITION_WIDTHS[-1]))
    return widths


def rendition_name(name: str, width: int, extension: str) -> str:
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.{width}w.{extension}"))


def save_clean_image(storage, name: str, file) -> str:
    """Store the cleaned image and its renditions; return the stored name."""
    image = clean_image(file)
    image_format, extension = fallback_format(image)
    stored = storage.save(
        str(PurePosixPath(name).with_suffix(f".{extension}")),
        ContentFile(encode(image, image_format)),
    )
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for fmt, ext in (("WEBP", "webp"), (image_format, extension)):
            target = rendition_name(stored, width, ext)
            if storage.exists(target):
                storage.delete(target)
            storage.save(target, ContentFile(encode(resized, fmt)))
    return stored
