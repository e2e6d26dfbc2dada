"""The release: a short token that changes when a deploy changes what pages are made of.

It is part of the content generation (``core.caching.generation``), so a deploy that
changes a template, a stylesheet or a script retires every kept page and fragment at
once: no visitor is served a page that names static files the new release no longer has.

``RELEASE`` (an environment variable: a build number, a git commit) names it. Left empty,
it is derived once per process, at start-up (``CoreConfig.ready()``), from

- the static-files manifest (``staticfiles.json``, written by ``collectstatic``, which names
  every static file by a hash of its content), or, without one, the content of the
  project's own static files; and
- the content of the project's own templates.

A deploy that changes only Python code keeps the release unless ``RELEASE`` says otherwise:
what it renders differently shows as kept parts expire (``PAGE_CACHE_SECONDS``,
``FRAGMENT_CACHE_SECONDS``).
"""

import functools
import hashlib
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import engines


@functools.cache
def release() -> str:
    """This process's release (computed on first use; ``release.cache_clear()`` to redo)."""
    configured = re.sub(r"[^A-Za-z0-9._-]", "", getattr(settings, "RELEASE", "") or "")
    if configured:
        return configured[:40]
    digest = hashlib.sha256()
    manifest = _static_manifest()
    if manifest is not None:
        digest.update(b"manifest\0" + manifest.encode())
    else:
        _add_files(digest, b"static", [Path(d) for d in settings.STATICFILES_DIRS])
    _add_files(digest, b"templates", _project_template_dirs())
    return digest.hexdigest()[:12]


def _static_manifest() -> str | None:
    read_manifest = getattr(staticfiles_storage, "read_manifest", None)
    if read_manifest is None:  # not a manifest storage (development, tests)
        return None
    try:
        return read_manifest()
    except OSError:
        return None


def _project_template_dirs() -> list[Path]:
    """Template folders of the project itself (not of installed packages)."""
    base = Path(getattr(settings, "BASE_DIR", Path.cwd())).resolve()
    folders = []
    for engine in engines.all():
        for name in getattr(engine, "template_dirs", ()):
            folder = Path(name).resolve()
            if folder.is_relative_to(base) and ".venv" not in folder.parts:
                folders.append(folder)
    return folders


def _add_files(digest, label: bytes, folders: list[Path]) -> None:
    for folder in sorted(set(folders)):
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = path.relative_to(folder).as_posix().encode()
            digest.update(label + b"\0" + name + b"\0" + path.read_bytes())
