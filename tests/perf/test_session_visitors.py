"""A returning visitor holding a session gets whole pages from the page cache, unless the
session is one person's: signed in, or a message waiting (issue 17: a page for a visitor
with a session at a third of the framework's speed, with no session write)."""

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.session import SessionStorage
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import verify_second_factor
from tests.perf.pages import public_paths

pytestmark = pytest.mark.usefixtures("page_cache")

FORM_PATHS = {"/volunteer/apply/"}
STALE_KEY = "0123456789abcdefghijklmnopqrstuv"  # well formed, in no row


def visitor_part_way_through_a_flow() -> tuple[Client, str]:
    session = SessionStore()
    session["volunteer_thanks"] = "amira@example.org"  # what a flow keeps
    session.save()
    visitor = Client()
    visitor.cookies["sessionid"] = session.session_key
    return visitor, session.session_key


def _writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_visitor_with_a_session_gets_kept_pages_for_one_read_of_it(
    client, demo_content, django_assert_num_queries
):
    visitor, key = visitor_part_way_through_a_flow()
    expires = Session.objects.get(pk=key).expire_date
    for path in public_paths():
        if path in FORM_PATHS:
            continue
        kept = client.get(path)  # an anonymous visitor's page is kept for everyone
        assert kept.status_code == 200, path
        with django_assert_num_queries(1, info=path):  # the session, nothing else
            page = visitor.get(path)
        assert page.content == kept.content, path
        assert "sessionid" not in page.cookies, path
        assert "amira@example.org" not in page.content.decode(), path
    assert Session.objects.get(pk=key).expire_date == expires  # never written


def test_a_stale_session_cookie_gets_kept_pages_and_makes_no_row(client, demo_content):
    kept = client.get("/events/")
    stale = Client()
    stale.cookies["sessionid"] = STALE_KEY
    with CaptureQueriesContext(connection) as queries:
        page = stale.get("/events/")
    assert page.content == kept.content
    assert _writes(queries) == []
    assert not Session.objects.exists()


def test_a_page_rendered_for_a_session_holder_is_not_kept(client, demo_content, page_cache):
    visitor, _ = visitor_part_way_through_a_flow()
    visitor.get("/writers/")
    assert not any(key.startswith(":1:page:") for key in page_cache._cache)
    client.get("/writers/")
    assert any(key.startswith(":1:page:") for key in page_cache._cache)


def test_a_signed_in_editor_never_gets_a_kept_page(client, demo_content):
    client.get("/about/")  # kept
    editor = get_user_model().objects.create_superuser("editor", "editor@example.org", "x")
    staff = Client()
    verify_second_factor(staff, editor)
    with CaptureQueriesContext(connection) as anonymous:
        client.get("/about/")
    with CaptureQueriesContext(connection) as signed_in:
        staff.get("/about/")
    assert len(anonymous) == 0
    tables = " ".join(query["sql"] for query in signed_in)
    assert "auth_user" in tables  # the page was rendered for the editor, as themselves
    assert "programme_page" in tables


def test_a_message_in_the_session_reaches_only_its_visitor(client, demo_content, rf, settings):
    # Messages kept in the session alone (a deployment's choice; ours start in a cookie).
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    visitor, key = visitor_part_way_through_a_flow()
    client.get("/about/")  # kept
    request = rf.get("/")
    request.session = SessionStore(key)
    storage = SessionStorage(request)
    storage.add(messages.SUCCESS, "Thank you, Amira: your place is held.")
    storage.update(HttpResponse())
    request.session.save()

    assert "your place is held" in visitor.get("/about/").content.decode()
    for other in (client, visitor_part_way_through_a_flow()[0]):
        assert "your place is held" not in other.get("/about/").content.decode()
