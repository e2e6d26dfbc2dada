"""Where an image's files live, and when they go.

The files of a stored image (the image and its renditions, which share a random
stem) are in one of two storages: `default`, served to the world, or
`withheld`, which nothing serves (refuge/storage.py). An image field with
`public_when` keeps its files in `default` only while that property of the
record is true: hide a writer, withdraw consent or untick "show portrait", and
every URL the portrait ever had answers 404; show it again and it is back,
without a new upload.

Files are removed once no record refers to them (several records may: a
duplicated event shares its original's image), so replacing or clearing an
image, or deleting a record, never touches another record's files.
`manage.py tidy_media` repairs what a bulk update or a crash left behind.
"""

import datetime
import logging
import secrets
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone

from core.images import (
    STORED_NAME,
    rendition_name,
    rendition_widths,
    stored_file_names,
    stored_stem,
)

logger = logging.getLogger(__name__)

# (model, field) for every concrete model's CleanImageField, filled as models load.
IMAGE_FIELDS: list[tuple[type, object]] = []
# A file younger than this may belong to an upload whose record is not yet committed.
ORPHAN_GRACE = datetime.timedelta(hours=1)
RANDOM_STEM_LENGTH = 32


def public_storage():
    return storages["default"]


def withheld_storage():
    return storages["withheld"]


def register_image_field(model, field) -> None:
    if not model._meta.abstract and not model._meta.proxy:
        IMAGE_FIELDS.append((model, field))


def is_referenced(name: str) -> bool:
    """Does any record (of any model with an image) still point at the image `name`?"""
    return any(
        model._base_manager.filter(**{field.attname: name}).exists()
        for model, field in IMAGE_FIELDS
    )


def _move(names: list[str], *, source, target) -> int:
    moved = 0
    for name in names:
        if not source.exists(name):
            continue
        if target.exists(name):
            target.delete(name)  # a half-finished earlier move of this very file
        with source.open(name, "rb") as content:
            target.save(name, content)
        source.delete(name)
        moved += 1
    return moved


def withhold(name: str, width: int | None) -> int:
    """Take the image's files off the served storage; return how many moved."""
    moved = _move(
        stored_file_names(name, width), source=public_storage(), target=withheld_storage()
    )
    if moved:
        logger.info("Withheld %s file(s) of %s", moved, name)
    return moved


def sync_exposure(model, pk, field, *, may_withhold: bool = True) -> tuple[int, int]:
    """Put the record's image where the record, read now under a row lock, says it goes;
    return (revealed, withheld) file counts.

    Saves hold the same row lock until they commit, so this never crosses a save:
    whichever commits last decides where the files are.
    """
    with transaction.atomic():
        record = model._base_manager.select_for_update().filter(pk=pk).first()
        file = getattr(record, field.attname) if record is not None else None
        if not file:
            return 0, 0
        width = getattr(record, field.width_field) if field.width_field else None
        if field._is_public(record):
            return reveal(file.name, width), 0
        return 0, withhold(file.name, width) if may_withhold else 0


def reveal_if_public(model, pk, field) -> int:
    """Reveal the record's image only if, read again under a row lock, it may be shown."""
    return sync_exposure(model, pk, field, may_withhold=False)[0]


def reveal(name: str, width: int | None) -> int:
    """Put a withheld image's files back where pages can show them."""
    moved = _move(
        stored_file_names(name, width), source=withheld_storage(), target=public_storage()
    )
    if moved:
        logger.info("Revealed %s file(s) of %s", moved, name)
    return moved


def open_for_staff(name: str, width: int | None):
    """A modest rendition of the image (or the image itself) from wherever it is kept,
    for staff to see a withheld portrait in the admin; None if it is nowhere."""
    extension = name.rsplit(".", 1)[-1]
    candidates = [rendition_name(name, w, extension) for w in rendition_widths(width or 0)[:2]]
    for storage in (public_storage(), withheld_storage()):
        for each in [*reversed(candidates), name]:
            if storage.exists(each):
                return storage.open(each, "rb")
    return None


def discard(name: str, width: int | None) -> int:
    """Delete the image's files from both storages, unless a record still refers to it."""
    if not name or is_referenced(name):
        return 0
    deleted = 0
    for storage in (public_storage(), withheld_storage()):
        for each in stored_file_names(name, width):
            if storage.exists(each):
                storage.delete(each)
                deleted += 1
    return deleted


def _is_random(name: str) -> bool:
    stem = PurePosixPath(stored_stem(name) or name).name
    return len(stem) == RANDOM_STEM_LENGTH and all(c in "0123456789abcdef" for c in stem)


@dataclass
class TidyReport:
    withheld: int = 0
    revealed: int = 0
    renamed: int = 0
    orphans: int = 0


def _folders() -> set[str]:
    folders = set()
    for model, field in IMAGE_FIELDS:
        folders.add(str(PurePosixPath(field.generate_filename(model(), "x")).parent))
    return folders


def _list_files(storage, folder: str) -> list[str]:
    try:
        _dirs, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files]


def rename_to_random(record, field) -> str:
    """Give an image stored under its uploaded name (before names were random) a random one."""
    name = getattr(record, field.attname).name
    width = getattr(record, field.width_field) if field.width_field else None
    extension = name.rsplit(".", 1)[-1]
    new = str(PurePosixPath(name).parent / f"{secrets.token_hex(16)}.{extension}")
    pairs = list(zip(stored_file_names(name, width), stored_file_names(new, width), strict=True))
    for storage in (public_storage(), withheld_storage()):
        for old_file, new_file in pairs:
            if storage.exists(old_file):
                with storage.open(old_file, "rb") as content:
                    storage.save(new_file, content)
    type(record)._base_manager.filter(**{field.attname: name}).update(**{field.attname: new})
    discard(name, width)
    return new


def tidy(*, now: datetime.datetime | None = None) -> TidyReport:
    """Put every image where its record says, rename old uploaded names, delete orphans.

    Safe to run at any time: files younger than ORPHAN_GRACE are left alone.
    """
    now = now or timezone.now()
    report = TidyReport()
    referenced = set()
    for model, field in IMAGE_FIELDS:
        for record in model._base_manager.exclude(**{field.attname: ""}).iterator():
            file = getattr(record, field.attname)
            if not file:
                continue
            if not _is_random(file.name):
                rename_to_random(record, field)
                record.refresh_from_db()
                file = getattr(record, field.attname)
                report.renamed += 1
            if field.public_when:
                revealed, withheld_ = sync_exposure(model, record.pk, field)
                report.revealed += bool(revealed)
                report.withheld += bool(withheld_)
            referenced.add(stored_stem(file.name))
    for folder in _folders():
        for storage in (public_storage(), withheld_storage()):
            for name in _list_files(storage, folder):
                if not STORED_NAME.match(name) or stored_stem(name) in referenced:
                    continue
                if now - storage.get_modified_time(name) < ORPHAN_GRACE:
                    continue
                storage.delete(name)
                report.orphans += 1
    return report
