"""Settings and the database: production refuses unsafe values; the embedded server works."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from refuge.embedded_db import start_embedded_postgres

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "HTTPS": "1",
    "SECRET_KEY": "x" * 20 + "production-like-secret-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "refuge.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://refuge.example.org",
}


TEST_ONLY_VARIABLES = {"DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # A fresh process, as production starts it: none of the test run's switches.
    clean = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key():
    env = PRODUCTION_ENV | {"SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_is_clean_with_production_values():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_boolean_setting_with_a_typo_is_refused():
    result = run_manage("check", env=PRODUCTION_ENV | {"HTTPS": "maybe"})
    assert result.returncode != 0
    assert "HTTPS must be a boolean" in result.stderr


def test_database_url_must_be_postgresql():
    result = run_manage("check", env=PRODUCTION_ENV | {"DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "needs PostgreSQL" in result.stderr


def test_embedded_postgres_starts_keeps_data_and_answers(tmp_path):
    pgdata = tmp_path / "pgdata"
    url = start_embedded_postgres(pgdata)
    assert (pgdata / "PG_VERSION").exists()
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_encoding'), 1 + 1")
        assert cursor.fetchone() == ("UTF8", 2)
    # It listens on a socket inside the data directory, not on a network port.
    assert "host=" in url
    assert "localhost" not in url


def test_settings_start_the_embedded_server_when_database_url_is_unset(tmp_path):
    env = PRODUCTION_ENV | {"EMBEDDED_PGDATA": str(tmp_path / "pgdata")}
    code = (
        "import django; from django.conf import settings; django.setup();"
        "from django.db import connection; connection.ensure_connection();"
        "print('HOST', connection.connection.info.host)"
    )
    clean = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean | env | {"DJANGO_SETTINGS_MODULE": "refuge.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"HOST {tmp_path / 'pgdata'}" in result.stdout
    assert (tmp_path / "pgdata" / "PG_VERSION").exists()
    # The server stopped with the last process that used it.
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()


@pytest.mark.parametrize("setting", ["CONN_HEALTH_CHECKS"])
def test_connections_are_health_checked(settings, setting):
    assert settings.DATABASES["default"][setting] is True
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0


@pytest.mark.django_db
def test_the_planner_is_told_the_data_is_in_memory():
    """At PostgreSQL's default random_page_cost (4) the count of upcoming dates read every
    event in the table (24 ms on the benchmark's data, 3 ms by index): issue 17."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert float(cursor.fetchone()[0]) == pytest.approx(1.1)


def test_the_planner_setting_can_be_left_to_the_server():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        env={"DEBUG": "1", "DATABASE_RANDOM_PAGE_COST": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "random_page_cost" not in result.stdout


@pytest.mark.django_db
def test_a_query_run_twice_is_prepared_on_the_server_and_answers_the_same():
    """Server-side binding and DATABASE_PREPARE_THRESHOLD (2): from its third run on a
    connection a query is planned once, not per request (issue 17); its answers follow
    its parameters as before."""
    from django.db import connection

    from programme.models import Strand

    def titles(slug):
        return list(Strand.objects.filter(slug=slug).values_list("slug", flat=True))

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    Strand.objects.create(title="Shahrazad", slug="shahrazad")
    Strand.objects.create(title="Writer in Residence", slug="writer-in-residence")
    assert not any('"programme_strand"."slug" = $1' in sql for sql in prepared())
    answers = [titles(slug) for slug in ("shahrazad", "writer-in-residence", "none", "shahrazad")]
    assert answers == [["shahrazad"], ["writer-in-residence"], [], ["shahrazad"]]
    assert any('"programme_strand"."slug" = $1' in sql for sql in prepared())


def test_preparing_can_be_turned_off_for_an_older_pgbouncer():
    script = "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
    on = run_manage("shell", "-c", script, env={"DEBUG": "1"})
    off = run_manage("shell", "-c", script, env={"DEBUG": "1", "DATABASE_PREPARE_THRESHOLD": ""})
    assert on.returncode == 0, on.stderr
    assert off.returncode == 0, off.stderr
    assert "'prepare_threshold': 2" in on.stdout
    assert "'server_side_binding': True" in on.stdout
    assert "'prepare_threshold': None" in off.stdout


@pytest.mark.parametrize(("serve_media", "served"), [("1", True), ("0", False)])
def test_media_are_served_by_django_only_when_asked(serve_media, served):
    """`make serve` (production settings, local checks) shows uploaded pictures; a
    deployment leaves them to the proxy."""
    script = (
        "from django.urls import Resolver404, resolve\n"
        "try:\n    resolve('/media/strands/a.960w.webp'); print('served')\n"
        "except Resolver404:\n    print('not served')"
    )
    result = run_manage("shell", "-c", script, env={**PRODUCTION_ENV, "SERVE_MEDIA": serve_media})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("not served") is not served
