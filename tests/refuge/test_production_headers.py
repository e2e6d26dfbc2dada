"""The headers a production response carries (HTTPS on, as in deployment)."""

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION)
def test_a_production_page_carries_every_security_header():
    response = Client().get("/volunteer/apply/", secure=True)  # a page with a form: cookies
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
                      "default-src 'self'", "script-src 'self'", "style-src 'self'"):  # fmt: skip
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(**PRODUCTION)
def test_cookies_are_secure_httponly_and_samesite(admin_user):
    client = Client()
    client.post(
        "/admin/login/",
        {"username": "admin", "password": "password-1234"},
        secure=True,
    )
    session = client.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


def test_public_pages_carry_no_csp_nonce(client, demo_content):
    """Pages can be cached and shared only if their policy holds no per-response nonce."""
    assert "nonce-" not in client.get("/")["Content-Security-Policy"]
