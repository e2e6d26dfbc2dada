"""Site-wide behaviour: health, robots, sitemap, error pages, security headers."""

import contextlib

import pytest
from django.db import connection
from django.urls import reverse

from tests.programme.factories import WriterFactory


@contextlib.contextmanager
def database_unreachable():
    """Point the connection at a socket directory where no server listens, then back."""
    connection.close()
    saved = connection.settings_dict.copy()
    connection.settings_dict["HOST"] = "/nonexistent-socket-dir"
    connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def test_healthz_says_ok_when_postgresql_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_when_postgresql_does_not_answer(client):
    """A real failed connection (a socket directory with no server), not a mock."""
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}
    # And it recovers by itself once the database is back.
    assert client.get("/healthz").status_code == 200


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_favicon_redirects_to_the_static_file(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")


def test_sitemap_lists_public_pages_but_never_an_unlisted_writer(client, demo_content):
    WriterFactory(name="Unlisted Poet", slug="unlisted-poet", visibility="unlisted")
    body = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/programme/shahrazad/" in body
    assert "http://testserver/writers/jiao-guobiao/" in body
    assert "http://testserver/about/" in body
    assert "unlisted-poet" not in body


def test_404_page_is_styled_and_helpful(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "We can’t find that page" in content
    assert 'id="main"' in content
    assert 'name="robots" content="noindex"' in content


@pytest.mark.urls("tests.urls_error")
def test_500_page_is_styled_and_needs_no_database(client, db):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, something went wrong on our side" in content
    assert "Skip to main content" in content


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("method", ["TRACE", "PUT"])
def test_even_a_refused_method_is_answered_with_the_framing_headers(client, db, method):
    response = client.generic(method, "/")
    assert response.status_code == 405
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"]


def test_no_inline_script_or_style_in_templates():
    """Our CSP forbids them; catch one before a browser does."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert "style=" not in text, template
        assert "<style" not in text, template
        assert "<script>" not in text, template
        assert " on" + "click=" not in text, template


@pytest.mark.parametrize(
    "url_name",
    [
        "home",
        "programme:strands",
        "programme:writers",
        "events:list",
        "volunteers:index",
        "programme:about",
        "programme:privacy",
        "programme:accessibility",
        "contact:form",
        "programme:supporters",
    ],
)
def test_every_navigation_and_footer_link_is_a_real_page(client, demo_content, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="en-GB"' in content
    assert 'property="og:title"' in content
    assert '<meta name="description"' in content
    assert "Norwich, City of Refuge" in content
    # The footer carries the supporters, contact and legal links everywhere.
    assert "University of East Anglia" in content
    assert 'href="/privacy/"' in content
    assert 'href="/accessibility/"' in content


def test_current_section_is_marked_in_the_navigation(client, demo_content):
    content = client.get("/programme/shahrazad/").content.decode()
    assert 'aria-current="page" href="/programme/"' in content
    assert 'aria-current="page" href="/"' not in content


def test_the_organisation_is_rebranded_by_settings(client, demo_content, settings):
    settings.PORTAL = settings.PORTAL | {"NAME": "Stavanger, City of Refuge"}
    content = client.get("/programme/").content.decode()
    assert "Stavanger, City of Refuge" in content


@contextlib.contextmanager
def connection_dropped():
    """What a server-side drop leaves: Django holds a connection the driver knows is
    closed, so the next statement raises InterfaceError (not a DatabaseError)."""
    connection.ensure_connection()
    connection.connection.close()
    try:
        yield
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_healthz_says_503_when_its_connection_was_dropped(client):
    client.raise_request_exception = False
    with connection_dropped():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable"}


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_under_a_page_gets_the_503_with_built_in_menus(client):
    """The 503 page has the header's menus; read from the database they failed again with
    the same InterfaceError and the visitor got gunicorn's bare 500 instead."""
    client.raise_request_exception = False
    with connection_dropped():
        response = client.get("/programme/")
    assert response.status_code == 503
    body = response.content.decode()
    assert "We’ll be back in a moment" in body
    assert 'href="/writers/"' in body  # the built-in menus stand in
    assert client.get("/programme/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_database_outage_gets_a_kind_503_with_retry_after(client):
    """A real failed connection (nothing listens there), not a mock."""
    client.raise_request_exception = False
    with database_unreachable():
        response = client.get("/programme/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "We’ll be back in a moment" in response.content.decode()
    assert client.get("/programme/").status_code == 200
