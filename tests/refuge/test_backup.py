"""Backups: dump the database and media, restore them into an empty database."""

import io

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from programme.models import Writer


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "writers").mkdir(parents=True)
    (tmp_path / "media" / "writers" / "portrait.jpg").write_bytes(b"jpeg bytes")
    # A withheld portrait is in the backup too (it can be shown again later).
    settings.WITHHELD_MEDIA_ROOT = tmp_path / "withheld"
    (tmp_path / "withheld" / "writers").mkdir(parents=True)
    (tmp_path / "withheld" / "writers" / "hidden.jpg").write_bytes(b"withheld bytes")
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("backup_portal", str(tmp_path / "backups"), stdout=out)
    folder = next((tmp_path / "backups").iterdir())
    assert {p.name for p in folder.iterdir()} == {"database.dump", "media.tar.gz", "manifest.json"}

    # A brand-new, empty database on the same server, as on a replacement machine.
    source = connection.settings_dict
    empty_name = f"{source['NAME']}_restore"
    admin = psycopg.connect(**connection.get_connection_params())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{empty_name}"')
        cursor.execute(f'CREATE DATABASE "{empty_name}"')
    try:
        settings.MEDIA_ROOT = tmp_path / "restored-media"
        settings.WITHHELD_MEDIA_ROOT = tmp_path / "restored-withheld"
        from refuge.backup import restore

        restore(folder, database={**source, "NAME": empty_name})
        params = {**connection.get_connection_params(), "dbname": empty_name}
        with psycopg.connect(**params) as restored, restored.cursor() as cursor:
            cursor.execute("SELECT name FROM programme_writer WHERE slug = 'jiao-guobiao'")
            assert cursor.fetchone() == ("Jiao Guobiao",)
            cursor.execute("SELECT count(*) FROM programme_strand")
            assert cursor.fetchone() == (3,)
        restored_file = tmp_path / "restored-media" / "writers" / "portrait.jpg"
        assert restored_file.read_bytes() == b"jpeg bytes"
        withheld_file = tmp_path / "restored-withheld" / "writers" / "hidden.jpg"
        assert withheld_file.read_bytes() == b"withheld bytes"
        assert not (tmp_path / "restored-media" / "writers" / "hidden.jpg").exists()
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{empty_name}" WITH (FORCE)')
        admin.close()
    assert Writer.objects.filter(slug="jiao-guobiao").exists()  # the live data is untouched


@pytest.mark.django_db
def test_restoring_something_that_is_not_a_backup_says_so(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"is .* a portal backup"):
        call_command("restore_portal", str(tmp_path), "--yes")
