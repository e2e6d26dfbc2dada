"""Operations tests: the portal as production runs it, not through the test client.

Real gunicorn processes (``gunicorn.conf.py``, ``DEBUG=0``) over the test
run's own PostgreSQL database, a real S3-compatible server (moto's server
mode), this machine's Redis and a small SMTP server in this process. Every
test here is marked ``slow``; they still run in ``make test``.

The app servers read what the test writes (and the other way round), so the
tests use ``transactional_db``: what the test creates is committed, and the
tables are emptied afterwards. Migration-made groups may be gone by then
(earlier transactional tests empty the tables too), so helpers recreate what
they need.
"""

import asyncio
import contextlib
import email
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
GUNICORN = Path(sys.executable).parent / "gunicorn"

# One secret for every app server of this run (they must agree, as in production),
# fresh each run so nothing it signs or counts in Redis meets another run's.
OPS_SECRET_KEY = "ops-tests-" + secrets.token_urlsafe(40)
# Redis: this machine's server, a database number and a prefix of our own.
OPS_REDIS_URL = "redis://127.0.0.1:6379/15"
OPS_CACHE_PREFIX = f"refuge-ops-test-{uuid.uuid4().hex[:12]}"
STAFF_PASSWORD = "ops-test-password-1234"


# ---------------------------------------------------------------- small helpers
def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {message or predicate}")


def http_client(**kwargs) -> httpx.Client:
    # trust_env=False: no proxy from the environment between us and 127.0.0.1.
    return httpx.Client(**{"trust_env": False, "timeout": 30, **kwargs})


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def database_url() -> str:
    """The test database (pytest-django's ``test_…``) as a URL for the app servers."""
    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


# ---------------------------------------------------------------- gunicorn
@dataclass
class AppServer:
    """One gunicorn instance (master and workers) on its own port."""

    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 40) -> "AppServer":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(GUNICORN), "--config", "gunicorn.conf.py", "refuge.wsgi"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown can end every worker
        )
        log.close()
        wait_until(self._ready, timeout=timeout, interval=0.2, message=f"gunicorn {self.name}")
        return self

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            pytest.fail(f"gunicorn {self.name} exited early:\n{self.log()}")
        try:
            return httpx.get(self.url + "/healthz", timeout=2, trust_env=False).status_code == 200
        except httpx.HTTPError:
            return False

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def terminate(self) -> None:
        """SIGTERM to the master: gunicorn's graceful shutdown."""
        self.process.send_signal(signal.SIGTERM)

    def stop(self, *, timeout: float = 30) -> int:
        """Stop at once (SIGQUIT, gunicorn's quick shutdown); the tests' own SIGTERM is above."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # any worker left behind
        self.process.wait(timeout=10)
        return self.process.returncode


def app_server_env(*, port: int, static_root: Path, media_root: Path, **overrides) -> dict:
    """Production settings, served over plain HTTP on 127.0.0.1:port."""
    skip = {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "PYTEST_CURRENT_TEST"}
    env = {key: value for key, value in os.environ.items() if key not in skip}
    env.update(
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY=OPS_SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        STAFF_MFA_REQUIRED="1",
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        GUNICORN_GRACEFUL_TIMEOUT="20",
        GUNICORN_LOG_LEVEL="warning",
        GUNICORN_ACCESS_LOG="-",
        PORTAL_SITE_URL="",  # links in emails name the instance that sent them
        REDIS_URL="",
        CACHE_KEY_PREFIX=OPS_CACHE_PREFIX,
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        VOLUNTEER_RATE_LIMIT="10000",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update({key: str(value) for key, value in overrides.items()})
    return env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """collectstatic once, as a release does (hashed, compressed names)."""
    root = tmp_path_factory.mktemp("ops-static")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": OPS_SECRET_KEY,
        "STATIC_ROOT": str(root),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    return root


@pytest.fixture
def app_servers(transactional_db, static_root, tmp_path):
    """Start gunicorn instances: ``start("a", **env)``. All are stopped after the test."""
    started: list[AppServer] = []
    media_root = tmp_path / "media"  # one directory: a shared filesystem, as N servers need

    def start(name: str, **env) -> AppServer:
        port = free_port()
        server = AppServer(
            name=name,
            port=port,
            env=app_server_env(port=port, static_root=static_root, media_root=media_root, **env),
            log_path=tmp_path / f"gunicorn-{name}.log",
        )
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop(timeout=5)


# ---------------------------------------------------------------- volunteers
def form_ticket(*, seconds_ago: float = 60) -> str:
    """A sign-up form ticket as the app servers issue it (their secret, shown a minute ago)."""
    from django.core import signing

    payload = {"k": uuid.uuid4().hex, "t": time.time() - seconds_ago, "v": ""}
    return signing.dumps(payload, key=OPS_SECRET_KEY, salt="volunteers.form")


@pytest.fixture
def volunteer_role(transactional_db):
    from tests.volunteers.factories import VolunteerRoleFactory

    return VolunteerRoleFactory(title="Event steward", slug="ops-event-steward")


def signup_data(*, email_address: str, role_id: int, csrf: str, name: str = "Amira Haddad"):
    return {
        "csrfmiddlewaretoken": csrf,
        "name": name,
        "email": email_address,
        "phone": "",
        "area": "NR2 4AB",
        "roles": [str(role_id)],
        "languages": "Arabic, English",
        "availability": ["weekends"],
        "message": "",
        "dbs_check": "no",
        "is_adult": "on",
        "consent": "on",
        "website": "",
        "ticket": form_ticket(),
    }


@dataclass
class Visitor:
    """Someone with a browser: cookies (CSRF, session) shared by every instance, as behind
    one load balancer's address."""

    client: httpx.Client = field(default_factory=http_client)
    csrf: str = ""

    def open_form(self, server: AppServer, path: str = "/volunteer/apply/") -> str:
        response = self.client.get(server.url + path)
        assert response.status_code == 200, response.text[:500]
        self.csrf = csrf_token(response.text)
        return response.text

    def sign_up(self, server: AppServer, *, email_address: str, role_id: int, **kwargs):
        if not self.csrf:
            self.open_form(server)
        return self.client.post(
            server.url + "/volunteer/apply/",
            data=signup_data(email_address=email_address, role_id=role_id, csrf=self.csrf),
            **kwargs,
        )


# ---------------------------------------------------------------- staff
def make_staff(username: str, *, superuser: bool = False, coordinator: bool = False):
    """A staff user whose password the app servers can check, with an authenticator app."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.contrib.auth.models import Group, Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from volunteers.services import COORDINATOR_GROUP

    user = get_user_model().objects.create(
        username=username,
        email=f"{username}@example.org",
        is_staff=True,
        is_superuser=superuser,
        # The suite hashes with MD5 for speed; the app servers only know the real hashers.
        password=PBKDF2PasswordHasher().encode(STAFF_PASSWORD, "opstestsalt", iterations=1000),
    )
    if coordinator:
        group, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="volunteers",
                codename__in=["view_volunteerapplication", "change_volunteerapplication"],
            )
        )
        user.groups.add(group)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user


def staff_login(visitor: Visitor, server: AppServer, user) -> None:
    """Sign in to admin with password and a fresh code from the authenticator app."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    page = visitor.client.get(server.url + "/admin/login/?next=/admin/")
    response = visitor.client.post(
        server.url + "/admin/login/?next=/admin/",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": user.username,
            "password": STAFF_PASSWORD,
            "otp_token": f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}",
            "next": "/admin/",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    assert response.headers["location"] == "/admin/"


# ---------------------------------------------------------------- mail
class MailSink:
    """Collects what an SMTP client delivers; ``delay`` makes it a slow server."""

    def __init__(self, delay: float = 0):
        self.delay = delay
        self.messages: list[Message] = []
        self.receiving = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.receiving.set()
        if self.delay:
            await asyncio.sleep(self.delay)
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    def texts(self) -> list[str]:
        bodies = []
        for message in self.messages:
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    bodies.append(part.get_payload(decode=True).decode())
        return bodies


@pytest.fixture
def smtp_server():
    """Start an SMTP server on a free port: ``start(port=None, delay=0)`` returns its sink."""
    from aiosmtpd.controller import Controller

    controllers = []

    def start(*, port: int | None = None, delay: float = 0) -> tuple[MailSink, int]:
        sink = MailSink(delay=delay)
        port = port or free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        controllers.append(controller)
        return sink, port

    yield start
    for controller in controllers:
        controller.stop()


# ---------------------------------------------------------------- object storage
@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3-compatible server, in its own process, on a free port. Yields its URL."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("moto") / "moto.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if process.poll() is not None:
            pytest.fail("moto server exited:\n" + log_path.read_text(errors="replace"))
        try:
            httpx.get(url + "/moto-api/", timeout=1, trust_env=False)
        except httpx.HTTPError:
            return False
        return True

    wait_until(up, timeout=60, interval=0.2, message="the moto S3 server")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_bucket(s3_server):
    """A new, empty bucket; returns the app servers' environment for it."""
    import boto3

    bucket = f"refuge-media-{uuid.uuid4().hex[:10]}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=bucket)
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
    }
