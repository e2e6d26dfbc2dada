"""At the door, on a 375 px phone: a Booking coordinator signs in, opens today's check-in
page, finds a person by name and checks them in; then a QR code is "scanned" (the
browser's camera and BarcodeDetector stood in for) and the page announces who arrived.
The page fits the phone and axe finds nothing."""

import datetime
import re
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from tests.browser.axe import assert_accessible
from tests.browser.conftest import restore_staff_roles

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# A camera and a QR reader for a browser that has neither: a canvas's stream for the
# camera, and a BarcodeDetector that reads the code the test puts in window.__qr.
FAKE_SCANNER = """
(() => {
  window.__qr = "";
  class FakeDetector {
    static async getSupportedFormats() { return ["qr_code"]; }
    async detect() {
      const code = window.__qr;
      window.__qr = "";
      return code ? [{ rawValue: code, format: "qr_code" }] : [];
    }
  }
  window.BarcodeDetector = FakeDetector;
  const devices = navigator.mediaDevices || {};
  devices.getUserMedia = async () => {
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    canvas.getContext("2d").fillRect(0, 0, 64, 64);
    return canvas.captureStream(5);
  };
  if (!navigator.mediaDevices) {
    Object.defineProperty(navigator, "mediaDevices", { value: devices });
  }
})();
"""


def later_today(minutes: int) -> datetime.datetime:
    last = datetime.datetime.combine(
        timezone.localdate(), datetime.time(23, 15), tzinfo=timezone.get_default_timezone()
    )
    return min(timezone.now() + datetime.timedelta(minutes=minutes), last)


@pytest.fixture
def door(live_server, transactional_db):
    """Today's reading booked on the site, two people booked, and a coordinator."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.bookings.factories import BookableEventFactory, BookingFactory

    restore_staff_roles()
    import_module("bookings.migrations.0003_booking_coordinator_group").create_group(apps, None)
    start = later_today(20)
    event = BookableEventFactory(title="A reading at the Forum", start=start,
                                 end=start + datetime.timedelta(minutes=30))  # fmt: skip
    occurrence = event.occurrences.get()
    amira = BookingFactory(occurrence=occurrence, name="Amira Haddad", places=2,
                           access_needs="A seat near the door")  # fmt: skip
    jiao = BookingFactory(occurrence=occurrence, name="Jiao Wen", places=1)
    user = get_user_model().objects.create_user(
        "door", password="a-long-password-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Booking coordinator"))
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return {"url": live_server.url, "amira": amira, "jiao": jiao, "device": device}


def sign_in(page, door) -> None:
    from django_otp.oath import totp

    page.goto(door["url"] + "/admin/login/")
    page.fill("#id_username", "door")
    page.fill("#id_password", "a-long-password-123")
    page.fill("#id_otp_token", f"{totp(door['device'].bin_key):06d}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")


def test_a_coordinator_checks_someone_in_on_a_phone(page, door):
    from bookings.models import Booking

    page.set_viewport_size(PHONE)
    sign_in(page, door)
    page.goto(door["url"] + "/admin/bookings/booking/checkin/")
    page.wait_for_url("**/checkin/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "A reading at the Forum"
    assert page.evaluate(OVERFLOW) == 0
    assert_accessible(page)

    page.get_by_label("Name or email").fill("amira")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**?q=amira")
    assert page.locator(".checkin-person").count() == 1
    page.get_by_role("button", name=re.compile(r"^Check in\W+Amira Haddad$")).click()
    status = page.locator("#checkin-status")
    status.get_by_text("Checked in: Amira Haddad, 2 places.").wait_for()
    assert page.locator(".checkin-person").get_by_text("Checked in at").count() == 1
    assert page.get_by_role("button", name=re.compile(r"^Undo\W+Amira Haddad$")).is_visible()
    assert page.evaluate(OVERFLOW) == 0
    assert_accessible(page)
    assert Booking.objects.get(pk=door["amira"].pk).checked_in_at is not None

    # The big button is big enough for a thumb.
    page.get_by_role("link", name="Show everyone").click()
    box = page.get_by_role("button", name=re.compile(r"^Check in\W+Jiao Wen$")).bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 300
    assert page.console_errors == []


def test_a_scanned_code_checks_in_and_is_announced(page, door):
    from bookings import tokens
    from bookings.models import Booking

    page.add_init_script(FAKE_SCANNER)
    page.set_viewport_size(PHONE)
    sign_in(page, door)
    page.goto(door["url"] + "/admin/bookings/booking/checkin/")
    page.wait_for_url("**/checkin/*/")
    scan = page.get_by_role("button", name="Scan a QR code")
    scan.wait_for()
    scan.click()
    page.get_by_role("button", name="Stop scanning").wait_for()
    assert page.locator("video").is_visible()
    assert page.evaluate(OVERFLOW) == 0
    page.evaluate("code => { window.__qr = code; }", tokens.checkin_token(door["jiao"]))
    status = page.locator("#checkin-status[role=status]")
    status.get_by_text("Checked in: Jiao Wen, 1 place.").wait_for()
    assert page.locator(".checkin__tally").inner_text() == "1 of 3 places checked in"
    assert Booking.objects.get(pk=door["jiao"].pk).checked_in_at is not None
    # A code that is not ours gets a clear message, in the same live region.
    page.evaluate("() => { window.__qr = 'https://example.org/not-ours'; }")
    status.get_by_text("not a booking we know").wait_for()
    page.get_by_role("button", name="Stop scanning").click()
    assert page.locator("video").is_hidden()
    assert_accessible(page)
    assert page.console_errors == []


def test_the_attendee_list_and_sign_in_sheet_fit_and_are_accessible(page, door):
    occurrence = door["amira"].occurrence
    sign_in(page, door)
    page.goto(f"{door['url']}/admin/bookings/booking/?occurrence={occurrence.pk}")
    assert page.locator(".date-counts").get_by_text("Places left").count() == 1
    headers = " | ".join(page.locator("#result_list thead th").all_inner_texts()).lower()
    assert "access needs" in headers
    assert page.evaluate(OVERFLOW) == 0
    assert_accessible(page)
    page.get_by_role("link", name="Printable sign-in sheet").click()
    page.get_by_role(
        "heading", name="Access needs (for the staff running the event only)"
    ).wait_for()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert page.locator("#header").is_hidden()
    assert page.console_errors == []


def test_the_door_page_holds_still_and_works_on_a_throttled_phone(browser, door):
    """At the door the signal is poor and the phone old: with a slow 4G network and the
    CPU slowed four times (Lighthouse's mobile preset), the check-in page paints without
    moving and a check-in still goes through and is announced."""
    from tests.browser.test_layout_shift import CPU_SLOWDOWN, GOOD_CLS, OBSERVE_SHIFTS, SLOW_4G

    context = browser.new_context(viewport=PHONE)
    context.add_init_script(OBSERVE_SHIFTS)
    page = context.new_page()
    try:
        sign_in(page, door)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        page.goto(
            door["url"] + "/admin/bookings/booking/checkin/",
            wait_until="networkidle",
            timeout=60_000,
        )
        page.evaluate("new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100)))")
        shifts = page.evaluate("window.__layoutShifts")
        cumulative = sum(shift["value"] for shift in shifts)
        assert cumulative < GOOD_CLS, f"cumulative layout shift {cumulative:.3f}: {shifts}"
        assert page.evaluate(OVERFLOW) == 0

        page.get_by_role("button", name=re.compile(r"^Check in\W+Jiao Wen$")).click()
        page.locator("#checkin-status").get_by_text("Checked in: Jiao Wen").wait_for(timeout=30_000)
    finally:
        context.close()
