"""The database backend (refuge.db): a GET trusts a connection that has just answered and
skips Django's health check; should the connection have died meanwhile, its first
statement is asked again on a new one. Driven as requests drive it: request_started and
request_finished, outside any test transaction (a request runs in autocommit)."""

import time

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, connections, transaction

pytestmark = pytest.mark.django_db(transaction=True)


def start(method: str) -> None:
    request_started.send(sender=None, environ={"REQUEST_METHOD": method})


def finish() -> None:
    request_finished.send(sender=None)


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def answered_request(method: str = "GET") -> int:
    """A request that used the connection: its backend's pid."""
    start(method)
    try:
        return backend_pid()
    finally:
        finish()


@pytest.fixture
def checks(monkeypatch):
    """How many health checks (``SELECT 1``) the connection made."""
    made = []
    backend = type(connections["default"])
    real = backend.is_usable

    def counted(self):
        made.append(1)
        return real(self)

    monkeypatch.setattr(backend, "is_usable", counted)
    return made


def kill(pid: int) -> None:
    """pg_terminate_backend from another connection, as an administrator or a restart does."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    admin = psycopg.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):  # until the server has let it go
            with admin.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() is None:
                    return
            time.sleep(0.02)
    finally:
        admin.close()


def test_the_portal_uses_it(settings):
    database = settings.DATABASES["default"]
    assert database["ENGINE"] == "refuge.db"
    assert connection.vendor == "postgresql"
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_TRUSTED_MS"] == 1000


def test_a_get_on_a_connection_that_just_answered_is_not_checked_again(checks):
    first = answered_request()
    assert answered_request() == first
    assert checks == []


@pytest.mark.parametrize("method", ["POST", "OPTIONS"])
def test_a_request_that_may_write_is_always_checked(checks, method):
    answered_request()
    answered_request(method)
    assert checks == [1]


def test_after_a_quiet_spell_a_get_is_checked(checks):
    answered_request()
    connection.answered_at -= 1.5  # it answered 1.5 s ago
    answered_request()
    assert checks == [1]


def test_trust_can_be_turned_off(checks, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "CONN_TRUSTED_MS", 0)
    answered_request()
    answered_request()
    assert checks == [1]


def test_a_get_whose_trusted_connection_died_is_answered_on_a_new_one(checks):
    first = answered_request()
    kill(first)
    second = answered_request()  # no error reaches the request
    assert second != first
    assert checks == [1]  # not before the statement: only once it failed
    # The new connection is trusted in its turn.
    assert answered_request() == second


def test_only_the_first_statement_is_asked_again(checks):
    first = answered_request()
    start("GET")
    try:
        assert backend_pid() == first
        kill(first)
        with pytest.raises(OperationalError):
            backend_pid()  # a later statement may follow earlier work: never repeated
    finally:
        finish()
    # The request's end found the connection broken and let it go.
    assert answered_request() != first


def test_a_transaction_on_a_dead_connection_fails_rather_than_being_repeated(checks):
    first = answered_request()
    kill(first)
    start("GET")
    try:
        with pytest.raises(OperationalError), transaction.atomic():
            backend_pid()
    finally:
        finish()
    assert answered_request() != first


def test_a_server_side_cursor_on_a_dead_connection_is_asked_again_as_one(checks):
    from programme.models import Strand
    from tests.programme.factories import StrandFactory

    StrandFactory.create_batch(5)
    first = answered_request()
    kill(first)
    start("GET")
    try:
        slugs = list(Strand.objects.values_list("slug", flat=True).iterator(chunk_size=2))
        assert backend_pid() != first
    finally:
        finish()
    assert len(slugs) == 5
    assert slugs == list(Strand.objects.values_list("slug", flat=True))


def test_a_first_statement_that_fails_on_a_live_connection_is_not_asked_again(checks):
    """A statement timeout is an OperationalError too: the connection still answers, so
    the statement is not run a second time."""
    start("GET")
    try:
        first = backend_pid()
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '50ms'")
    finally:
        finish()
    start("GET")
    try:
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(0.5)")
    finally:
        finish()
    assert checks == [1, 1]  # asked whether it still answers; then, at the request's end
    assert answered_request() == first  # the same connection, not a new one
    with connection.cursor() as cursor:
        cursor.execute("RESET statement_timeout")


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_a_count_is_planned_for_its_values_each_time_never_prepared():
    """A generic plan guesses how many rows a range holds: the past events' count took 15
    ms on one against 9 planned for its values. Counts are never prepared; the query
    beside them, run as often, is (issue 17)."""
    from programme.models import Strand

    Strand.objects.create(title="Shahrazad", slug="shahrazad")
    counts, slugs = [], []
    for slug in ["shahrazad", "none"] * 4:
        counts.append(Strand.objects.filter(slug=slug).count())
        slugs.append(list(Strand.objects.filter(slug=slug).values_list("slug", flat=True)))
    assert counts == [1, 0] * 4
    assert slugs == [["shahrazad"], []] * 4
    statements = prepared_statements()
    assert any(sql.startswith("SELECT") and '"slug" = $1' in sql for sql in statements)
    assert not any("COUNT(*)" in sql for sql in statements)
