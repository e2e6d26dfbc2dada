"""A visitor who has seen a form carries only a ``csrftoken`` cookie: whole pages from the
page cache wherever the page holds no per-visitor token, and never anyone else's token,
message or nonce (issue 17, item 4)."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import _get_new_csrf_string, _unmask_cipher_token
from django.test import Client

from tests.perf.pages import public_paths

pytestmark = pytest.mark.usefixtures("page_cache")

FORM_PATHS = {"/volunteer/apply/"}
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def visitor_with_csrf_cookie() -> tuple[Client, str]:
    secret = _get_new_csrf_string()
    client = Client()
    client.cookies["csrftoken"] = secret
    return client, secret


def test_a_visitor_with_only_a_csrf_cookie_gets_whole_pages_from_the_cache(
    client, demo_content, django_assert_num_queries
):
    returning, secret = visitor_with_csrf_cookie()
    for path in public_paths():
        if path in FORM_PATHS:
            continue
        first = returning.get(path)  # rendered for them, and kept for everyone
        with django_assert_num_queries(0, info=path):
            again = returning.get(path)
            anonymous = client.get(path)
        assert again.status_code == anonymous.status_code == 200, path
        assert again.content == anonymous.content == first.content, path
        assert secret.encode() not in anonymous.content, path
        assert b"csrfmiddlewaretoken" not in anonymous.content, path
        assert b"nonce" not in anonymous.content, path
        assert "csrftoken" not in again.cookies, path
        assert "csrftoken" not in anonymous.cookies, path


@pytest.mark.parametrize("path", sorted(FORM_PATHS))
def test_a_form_carries_each_visitors_own_csrf_token_every_time(db, path):
    (amira, amira_secret), (bo, bo_secret) = visitor_with_csrf_cookie(), visitor_with_csrf_cookie()
    for _ in range(2):
        for visitor, secret in ((amira, amira_secret), (bo, bo_secret)):
            page = visitor.get(path)
            assert page.status_code == 200
            (token,) = TOKEN.findall(page.content)
            assert _unmask_cipher_token(token.decode()) == secret
    stranger = Client().get(path)  # no cookie: a token of its own, in a new cookie
    (token,) = TOKEN.findall(stranger.content)
    assert _unmask_cipher_token(token.decode()) == stranger.cookies["csrftoken"].value
    assert stranger.cookies["csrftoken"].value not in {amira_secret, bo_secret}


def test_a_message_reaches_only_its_visitor(demo_content, rf):
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Thank you for signing up.")
    carrier = HttpResponse()
    storage.update(carrier)
    amira, _ = visitor_with_csrf_cookie()
    amira.cookies["messages"] = carrier.cookies["messages"].value
    bo, _ = visitor_with_csrf_cookie()

    assert "Thank you for signing up." in amira.get("/about/").content.decode()
    for visitor in (bo, Client(), bo):
        assert "Thank you for signing up." not in visitor.get("/about/").content.decode()
