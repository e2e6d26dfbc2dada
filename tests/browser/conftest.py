"""Browser tests: Playwright driving the system's Chromium against a live server.

Never `playwright install`: we use the Chromium the machine has (Debian's
`chromium` package, or CHROMIUM_PATH). Without one the tests are skipped
with instructions, except under CI, where a missing browser is a failure.
"""

import io
import os
import re
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = {"phone": 375, "desktop": 1280}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # This machine's network is closed; Chromium's background calls would only time out.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "chromium", "chromium-browser",
                      "google-chrome", "google-chrome-stable"):  # fmt: skip
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


def running_under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    path = find_chromium()
    if path is None:
        message = (
            "No Chromium found for the browser tests. Install one "
            "(Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install --cask chromium) "
            "or set CHROMIUM_PATH to a Chrome/Chromium binary."
        )
        if running_under_ci():
            pytest.fail(message)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django's ORM
    # calls from the test body are still synchronous, so allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    """A fresh page; on failure, screenshots at phone and desktop widths."""
    context = browser.new_context(viewport={"width": WIDTHS["desktop"], "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed and page.url.startswith("http"):
        ARTIFACTS.mkdir(exist_ok=True)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.nodeid)
        for name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=ARTIFACTS / f"{slug}-{name}.png", full_page=True)
    context.close()


@pytest.fixture
def site(live_server, transactional_db):
    """The live server, with the demo content loaded (committed, so it can see it)."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    return live_server


def sign_in_as_staff(page, site) -> None:
    """A superuser with a confirmed authenticator signs in through the admin's form."""
    from django.contrib.auth import get_user_model
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    boss = get_user_model().objects.create_superuser("boss", "", "a-long-password-123")
    device = TOTPDevice.objects.create(user=boss, name="phone", confirmed=True)
    page.goto(site.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-password-123")
    page.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


ROLE_MIGRATIONS = [
    ("programme.migrations.0005_content_editor_group", "create_content_editor_group"),
    ("events.migrations.0002_content_editor_permissions", "grant"),
    ("events.migrations.0008_norfolk_school_holidays_2026_27", "grant"),
    ("volunteers.migrations.0002_volunteer_coordinator_group", "create_group"),
    ("programme.migrations.0011_writings_content_editor_permissions", "grant"),
    ("bookings.migrations.0003_booking_coordinator_group", "create_group"),
    ("bookings.migrations.0008_booking_coordinator_access_needs", "grant"),
    ("programme.migrations.0015_seed_menus_and_editor_permissions", "grant"),
]


def restore_staff_roles() -> None:
    """Live-server tests flush every table after each test, the groups the role migrations
    made included: make them again exactly as those migrations do."""
    from importlib import import_module

    from django.apps import apps

    for module, function in ROLE_MIGRATIONS:
        getattr(import_module(module), function)(apps, None)
