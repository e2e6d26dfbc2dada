"""Sessions are Django's database sessions, read with a query compiled once
(refuge.sessions): they must read as Django's own backend reads them."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from refuge.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_the_portal_uses_it(settings):
    assert settings.SESSION_ENGINE == "refuge.sessions"


def test_a_session_reads_as_djangos_backend_reads_it(django_assert_num_queries):
    saved = SessionStore()
    saved["volunteer_thanks"] = "amira@example.org"
    saved.save()
    with django_assert_num_queries(1):
        read = SessionStore(saved.session_key)
        assert dict(read.items()) == {"volunteer_thanks": "amira@example.org"}
    assert dict(DjangoStore(saved.session_key).items()) == dict(read.items())


def test_an_expired_session_reads_as_empty_and_forgets_its_key():
    saved = SessionStore()
    saved["kept"] = True
    saved.save()
    Session.objects.filter(pk=saved.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    read = SessionStore(saved.session_key)
    assert dict(read.items()) == {}
    assert read.session_key is None


def test_a_stale_or_absent_key_reads_as_empty_and_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert dict(SessionStore("0123456789abcdefghijklmnopqrstuv").items()) == {}
    with django_assert_num_queries(0):
        assert dict(SessionStore().items()) == {}
    assert not Session.objects.exists()


def test_a_changed_session_is_saved_and_read_back():
    session = SessionStore()
    session["step"] = 1
    session.save()
    again = SessionStore(session.session_key)
    again["step"] = 2
    again.save()
    assert SessionStore(session.session_key)["step"] == 2
    assert Session.objects.count() == 1


@pytest.mark.parametrize(
    "key",
    ["abcdefgh\x00ijklmnop", "abcdefgh'; DROP TABLE x; --", "ABCDEFGHIJKLMNOP", "ébcdefghijklmnop"],
)
def test_a_key_django_never_makes_is_no_session_and_no_error(key, client):
    """PostgreSQL refuses a NUL byte outright: a hostile cookie must not be a 500."""
    assert dict(SessionStore(key).items()) == {}
    client.cookies["sessionid"] = key
    page = client.get("/events/")
    assert page.status_code == 200
    assert not Session.objects.exists()
