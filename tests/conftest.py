"""Test-suite set-up: a throwaway PostgreSQL, then Django.

pytest-django loads settings before conftest files are imported, so the
settings module is named here, in ``pytest_configure``, once the database
is up. With ``DATABASE_URL`` set (CI's second run) that server is used
instead; pytest-django creates and drops its own ``test_…`` database.

Under pytest-xdist (``make test-fast``) only the controller starts the
embedded server; the workers inherit its ``DATABASE_URL`` and pytest-django
gives each one a database of its own (``test_…_gw0``, ``test_…_gw1``). They
do not inherit ``DJANGO_SETTINGS_MODULE``, so each sets Django up as a serial
run does: after the test tweaks below (``pytest_xdist_setupnodes``).

Tests that need more than Python and PostgreSQL carry a marker, so the fast
loop can leave them out (``-m "not browser and not html and not static and
not slow"``). ``pytest_collection_modifyitems`` adds the marker where the
need can be seen from the test itself, in case a new module forgets it.
"""

import io
import os
import tempfile
from pathlib import Path

import pytest


def pytest_configure(config):
    os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
    os.environ["DEBUG"] = "0"
    os.environ["HTTPS"] = "0"
    os.environ.setdefault("PORTAL_SITE_URL", "http://testserver")
    if not os.environ.get("DATABASE_URL"):
        from refuge.embedded_db import start_embedded_postgres

        pgdata = Path(tempfile.mkdtemp(prefix="refuge-test-")) / "pgdata"
        os.environ["DATABASE_URL"] = start_embedded_postgres(pgdata, throwaway=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "refuge.settings"

    from django.conf import settings

    # Test-speed tweaks only; behaviour stays as in production.
    # whitenoise wants STATIC_ROOT to exist; tests never collect into the real one.
    settings.STATIC_ROOT = Path(tempfile.mkdtemp(prefix="refuge-test-static-"))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # load_demo without its drawn pictures (most of its time); the tests about pictures
    # and the screenshots turn them back on.
    settings.DEMO_PICTURES = False
    # Uploads of the whole run land in throwaway folders, never in var/.
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="refuge-test-media-"))
    settings.WITHHELD_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="refuge-test-withheld-"))
    # The cache outlives each test's rolled-back transaction, so pages are rendered
    # afresh unless a test asks for the page cache (tests/perf/conftest.py).
    settings.PAGE_CACHE_SECONDS = 0
    settings.FRAGMENT_CACHE_SECONDS = 0
    # Tests empty the shared cache between steps, which a worker's held copy of it would
    # not see; the hold has tests of its own (tests/perf/test_held.py).
    settings.CACHE_HOLD_MS = 0
    # Unhashed static names, so the live server's static handler finds files;
    # the hashed, compressed pipeline has its own test (tests/refuge/test_static.py).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_setupnodes(config, specs):
    """Start the xdist workers without DJANGO_SETTINGS_MODULE (the controller is set up).

    With it in their environment pytest-django would set Django up before this
    conftest's pytest_configure, and apps' ready() would meet production settings
    (STORAGES, STATIC_ROOT, MEDIA_ROOT) that the tweaks then replace too late.
    """
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)


# Markers a test gets from what it uses (pytest's -m filter runs after this hook).
MARKER_FOR_FIXTURE = {
    "browser": "browser",  # tests/browser/conftest.py: launches Chromium
    "static_root": "static",  # tests/ops/conftest.py: runs collectstatic
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    from tests.html_validator import html_errors

    for item in items:
        wanted = {MARKER_FOR_FIXTURE.get(name) for name in getattr(item, "fixturenames", ())}
        # A module that imports the Nu Html Checker's helper starts Java.
        if getattr(getattr(item, "module", None), "html_errors", None) is html_errors:
            wanted.add("html")
        for marker in sorted(wanted - {None}):
            if item.get_closest_marker(marker) is None:
                item.add_marker(marker)


@pytest.fixture(autouse=True)
def _interface_in_english_again():
    """A request in Arabic leaves Arabic active on the thread (as LocaleMiddleware does);
    a later test calling a service directly must not inherit it."""
    yield
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo_content(db):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())


def verify_second_factor(client, user):
    """Sign `user` in on `client` as if they had entered a valid authenticator code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Test phone", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "password-1234")


@pytest.fixture
def admin_client(admin_user):
    """pytest-django's admin_client, signed in with a second factor as production requires."""
    from django.test import Client

    staff_client = Client()
    verify_second_factor(staff_client, admin_user)
    return staff_client
