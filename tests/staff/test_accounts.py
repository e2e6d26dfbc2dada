"""Staff accounts: two-factor sign-in, login limits, no user enumeration, idle sessions."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("coordinator", "c@example.org", PASSWORD)


@pytest.fixture
def phone(staff):
    return TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def log_in(client, username, password, token=""):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "otp_token": token},
    )


def test_the_login_page_asks_for_an_authentication_code(client):
    content = client.get("/admin/login/").content.decode()
    assert 'name="otp_token"' in content
    assert 'autocomplete="one-time-code"' in content


def test_password_and_code_open_the_admin(client, staff, phone):
    response = log_in(client, "coordinator", PASSWORD, code(phone))
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_password_alone_is_not_enough_when_a_device_exists(client, staff, phone):
    response = log_in(client, "coordinator", PASSWORD)
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(
    ("username", "password", "token"),
    [
        ("coordinator", PASSWORD, "000000"),  # right password, wrong code
        ("coordinator", "wrong-password", "CODE"),  # wrong password, right code
        ("nobody-by-this-name", PASSWORD, "000000"),  # no such user
    ],
)
def test_every_failure_says_the_same_thing(client, staff, phone, username, password, token):
    if token == "CODE":
        token = code(phone)
    content = log_in(client, username, password, token).content.decode()
    assert "Please enter the correct username, password and, if you have set one up" in content
    assert "nobody-by-this-name" not in content.replace('value="nobody-by-this-name"', "")


def test_a_recovery_code_works_once(client, staff, phone):
    recovery = StaticDevice.objects.create(user=staff, name="Recovery codes")
    recovery.token_set.create(token="abcd2345")
    assert log_in(client, "coordinator", PASSWORD, "abcd2345").status_code == 302
    other = Client()
    assert log_in(other, "coordinator", PASSWORD, "abcd2345").status_code == 200


def test_staff_without_a_device_must_enrol_before_the_admin_opens(client, staff):
    response = log_in(client, "coordinator", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/mfa/setup/"
    assert client.get("/admin/").status_code == 302  # not verified yet

    setup = client.get("/admin/mfa/setup/").content.decode()
    assert 'src="data:image/svg+xml;base64,' in setup
    assert "QR code for your authenticator app" in setup
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    wrong = client.post("/admin/mfa/setup/", {"token": "123456"}).content.decode()
    assert "That code did not match" in wrong
    # django-otp throttles after a wrong code; a person waits, the test resets it.
    device.refresh_from_db()
    device.throttle_reset()

    done = client.post("/admin/mfa/setup/", {"token": code(device)}).content.decode()
    codes = re.findall(r"<code>([a-z0-9]+)</code>", done)
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_mfa_can_be_switched_off_for_local_development(client, staff, settings):
    settings.STAFF_MFA_REQUIRED = False
    assert log_in(client, "coordinator", PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_repeated_failures_lock_the_username_out_with_a_clear_429(client, staff, phone, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coordinator", "wrong-password")
    locked = log_in(client, "coordinator", PASSWORD, code(phone))
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()


def test_a_lockout_by_one_ip_does_not_lock_out_everyone_by_forged_headers(client, staff, settings):
    """With no trusted proxy configured, X-Forwarded-For is ignored entirely."""
    settings.CLIENT_IP_HEADER = ""
    for number in range(settings.LOGIN_IP_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": f"someone-{number}", "password": "x"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR="198.51.100.1",
        )
    # The attacker's own address is blocked…
    blocked = client.post(
        "/admin/login/", {"username": "x", "password": "y"}, REMOTE_ADDR="203.0.113.9"
    )
    assert blocked.status_code == 429
    # …but the address they pretended to be is not.
    other = Client(REMOTE_ADDR="198.51.100.1")
    assert other.get("/admin/login/").status_code == 200
    assert log_in(other, "coordinator", PASSWORD).status_code == 302


def test_staff_can_unlock_a_lockout_in_admin(admin_client, client, staff, phone, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "coordinator", "wrong-password")
    attempt = AccessAttempt.objects.get(username="coordinator")
    listing = admin_client.get("/admin/axes/accessattempt/").content.decode()
    assert "coordinator" in listing
    admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert log_in(client, "coordinator", PASSWORD, code(phone)).status_code == 302


def test_passwords_need_twelve_characters():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short-pw-1")
    validate_password("a-long-enough-password", get_user_model()(username="x"))


def test_admin_sessions_expire_after_inactivity_and_each_request_renews_them(
    client, staff, phone, settings
):
    log_in(client, "coordinator", PASSWORD, code(phone))
    response = client.get("/admin/")
    cookie = response.cookies["sessionid"]  # sent again on an ordinary request: renewed
    assert cookie["max-age"] == settings.SESSION_COOKIE_AGE == 60 * 60
    assert cookie["httponly"] is True
    assert client.session.get_expiry_age() == 60 * 60


def _session_writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries
        if "django_session" in query["sql"] and query["sql"].lstrip().startswith("UPDATE")
    ]


def test_a_staff_session_is_renewed_at_most_once_a_minute(client, staff, phone):
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from refuge.middleware import SessionActivityMiddleware

    log_in(client, "coordinator", PASSWORD, code(phone))
    client.get("/admin/")  # stamps the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    assert _session_writes(queries) == []  # used a moment ago: nothing to renew
    assert "sessionid" not in response.cookies

    session = client.session  # as if the last request were two minutes ago
    session[SessionActivityMiddleware.STAMP] -= 120
    session.save()
    row = Session.objects.get(pk=session.session_key)
    Session.objects.filter(pk=row.pk).update(expire_date=row.expire_date - timedelta(minutes=2))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert len(_session_writes(queries)) == 1
    assert response.cookies["sessionid"]["max-age"] == 60 * 60
    renewed = Session.objects.get(pk=row.pk).expire_date
    assert renewed > timezone.now() + timedelta(minutes=59)


def test_an_idle_staff_session_ends(client, staff, phone, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    log_in(client, "coordinator", PASSWORD, code(phone))
    assert client.get("/admin/").status_code == 200
    # SESSION_IDLE_MINUTES without a request: the row has expired.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# ---------------------------------------------------------------- nobody locks a colleague out

OWNER_IP = "192.0.2.10"
STRANGERS = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]


@pytest.fixture
def one_minute():
    """Every request below falls in one minute of the per-username counter."""
    with mock.patch("refuge.login_limits.time.time", return_value=time.time()) as clock:
        yield clock


def fail_from(ip, times, username="coordinator"):
    stranger = Client(REMOTE_ADDR=ip)
    return [log_in(stranger, username, "wrong-password") for _ in range(times)]


def test_failures_from_three_addresses_do_not_lock_the_owner_out(staff, phone, one_minute):
    """Under the old rule (username *or* address), six failures anywhere locked the account."""
    for ip in STRANGERS:
        fail_from(ip, 3)
    owner = Client(REMOTE_ADDR=OWNER_IP)
    assert log_in(owner, "coordinator", PASSWORD, code(phone)).status_code == 302
    assert owner.get("/admin/").status_code == 200


def test_failures_from_one_address_still_lock_that_address_out(staff, phone, settings):
    *_, last = fail_from(STRANGERS[0], settings.AXES_FAILURE_LIMIT)
    assert last.status_code == 429
    stranger = Client(REMOTE_ADDR=STRANGERS[0])
    locked = log_in(stranger, "coordinator", PASSWORD, code(phone))  # even the right password
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # The same username from elsewhere, another username from there: not locked.
    owner = Client(REMOTE_ADDR=OWNER_IP)
    assert log_in(owner, "coordinator", PASSWORD, code(phone)).status_code == 302
    assert log_in(stranger, "someone-else", "x").status_code == 200


def test_many_addresses_only_slow_a_username_and_never_at_its_owners_address(
    staff, settings, one_minute
):
    """Spread over many addresses, guesses at one username get "try again in a minute"
    (the password is not even checked) once an address has failed; the owner, at an
    address they have signed in from before or at a new one, signs in as usual."""
    settings.STAFF_MFA_REQUIRED = False  # passwords alone: a TOTP code works only once
    owner = Client(REMOTE_ADDR=OWNER_IP)
    assert log_in(owner, "coordinator", PASSWORD).status_code == 302
    owner.logout()

    limit = settings.LOGIN_USERNAME_ATTEMPTS_PER_MINUTE
    per_address = settings.AXES_FAILURE_LIMIT - 1  # none of them is locked
    addresses = [f"198.51.100.{n}" for n in range(1, limit // per_address + 2)]
    for ip in addresses:
        fail_from(ip, per_address)

    attacker = Client(REMOTE_ADDR=addresses[0])
    slowed = log_in(attacker, "coordinator", PASSWORD)
    assert slowed.status_code == 200
    assert "Please try again in a minute." in slowed.content.decode()
    assert attacker.get("/admin/").status_code == 302  # not signed in, even with the password

    assert log_in(owner, "coordinator", PASSWORD).status_code == 302
    owner.logout()
    newcomer = Client(REMOTE_ADDR="198.51.100.200")  # the owner on a train's wifi
    assert log_in(newcomer, "coordinator", PASSWORD).status_code == 302

    one_minute.return_value += 60  # a minute later, the attacking address is checked again
    assert log_in(attacker, "coordinator", PASSWORD).status_code == 302


def test_one_stranger_hammering_a_username_never_keeps_its_owner_out(staff, settings):
    """An adversarial review's case: 60 wrong passwords from one address, then the owner
    from an address they have never used."""
    settings.STAFF_MFA_REQUIRED = False
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(60):
        log_in(stranger, "coordinator", "not-the-password")
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert log_in(owner, "coordinator", PASSWORD).status_code == 302


def test_slowing_says_nothing_about_whether_a_username_exists(staff, settings, one_minute):
    for username in ("coordinator", "nobody-by-this-name"):
        for n in range(settings.LOGIN_USERNAME_ATTEMPTS_PER_MINUTE):
            fail_from(f"198.51.100.{n + 1}", 1, username=username)
        answer = log_in(Client(REMOTE_ADDR="198.51.100.1"), username, "x")
        assert "Please try again in a minute." in answer.content.decode()
