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
import re
import secrets
from dataclasses import dataclass
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
# The stored image is cut down to this on its longest side: pages never show more
# than the widest rendition, and a bounded master keeps every upload's work bounded.
MASTER_MAX_SIDE = 2560
# `<folder>/<random>.<ext>` and `<folder>/<random>.<width>w.<ext>`: the stem is all a
# file's renditions share. Older uploads kept their uploaded names; the pattern reads both.
STORED_NAME = re.compile(r"^(?P<stem>.+?)(?:\.(?P<width>\d+)w)?\.(?P<ext>jpg|png|webp)$")


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
            if max(width, height) > settings.IMAGE_MAX_SIDE:
                raise ValidationError(
                    _(
                        "This image is %(width)s × %(height)s pixels; each side can be at most "
                        "%(limit)s pixels. Resize it and upload it again."
                    )
                    % {"width": width, "height": height, "limit": settings.IMAGE_MAX_SIDE},
                    code="side_too_long",
                )
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
    """Decode an upload into a new image holding only pixels: upright, sRGB, no metadata,
    at most MASTER_MAX_SIDE on its longest side."""
    file.seek(0)
    with Image.open(file) as source:
        # A JPEG decodes straight at a reduced scale; other formats are reduced once
        # decoded, before any other work, so a 49-megapixel PNG costs one decode.
        source.draft("RGB", (MASTER_MAX_SIDE, MASTER_MAX_SIDE))
        source.load()
        upright = ImageOps.exif_transpose(source)
        if max(upright.size) > MASTER_MAX_SIDE:
            upright.thumbnail((MASTER_MAX_SIDE, MASTER_MAX_SIDE), Image.LANCZOS, reducing_gap=3)
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


def stored_file_names(name: str, width: int | None) -> list[str]:
    """Every file the pipeline wrote for the stored image `name`: itself and its renditions."""
    names = [name]
    if width:
        extension = name.rsplit(".", 1)[-1]
        for rendition_width in rendition_widths(width):
            names += [rendition_name(name, rendition_width, ext) for ext in ("webp", extension)]
    return names


def stored_stem(name: str) -> str | None:
    """The stem an image and its renditions share (`writers/3f…9a`), or None for a stranger."""
    match = STORED_NAME.match(name)
    return match["stem"] if match else None


class StorageNameTakenError(RuntimeError):
    """The storage would not keep a name we chose: never write over another file."""


@dataclass(frozen=True)
class StoredImage:
    name: str
    width: int
    height: int


def save_clean_image(storage, name: str, file) -> str:
    """Store the cleaned image and its renditions in `name`'s folder; return the stored name."""
    return store_clean_image(storage, name, file).name


def store_clean_image(storage, name: str, file) -> StoredImage:
    """Store the cleaned image and its renditions in `name`'s folder.

    The name is random (nothing of the uploaded name survives, and it cannot be
    guessed), and no file that already exists is ever replaced or deleted.
    """
    image = clean_image(file)
    image_format, extension = fallback_format(image)
    folder = PurePosixPath(name).parent
    files = {}
    for _attempt in range(5):
        stored = str(folder / f"{secrets.token_hex(16)}.{extension}")
        if not any(storage.exists(each) for each in stored_file_names(stored, image.width)):
            break
    else:
        raise StorageNameTakenError(name)
    files[stored] = encode(image, image_format)
    for width in rendition_widths(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        for fmt, ext in (("WEBP", "webp"), (image_format, extension)):
            files[rendition_name(stored, width, ext)] = encode(resized, fmt)
    written = []
    try:
        for target, content in files.items():
            saved = storage.save(target, ContentFile(content))
            written.append(saved)
            if saved != target:
                raise StorageNameTakenError(target)
    except BaseException:
        for saved in written:  # only what this call wrote
            storage.delete(saved)
        raise
    return StoredImage(stored, image.width, image.height)
