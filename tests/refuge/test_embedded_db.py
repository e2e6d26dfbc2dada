"""The embedded PostgreSQL stops with `make run`, however it is stopped, and starts after a crash.

Each test runs `manage.py runserver` as `make run` does (its autoreloader: a parent process that
restarts a serving child), or gunicorn as `make serve` does, on a data directory of its own
(``EMBEDDED_PGDATA``, never ``var/pgdata``) and in a session of its own, as a terminal's job
would be, and watches the postmaster that the server started.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil
import pytest

pytestmark = pytest.mark.slow

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
START_TIMEOUT = 90  # seconds; the machine may be busy
STOP_TIMEOUT = 10


@contextlib.contextmanager
def _signals_as_from_a_terminal():
    """Start the server as from a terminal: a suite run under `nohup` ignores SIGHUP, and
    one started in the background (`make test &`) ignores SIGINT; its children would
    inherit that, so "terminal closed" would test nothing and Ctrl-C would never stop
    them."""
    previous = {
        signum: signal.signal(signum, signal.SIG_DFL) for signum in (signal.SIGHUP, signal.SIGINT)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def portal_env(pgdata: Path) -> dict[str, str]:
    env = {**os.environ, "DEBUG": "1", "HTTPS": "0", "EMBEDDED_PGDATA": str(pgdata)}
    env.pop("DATABASE_URL", None)  # tests/conftest.py's server for the suite; not ours
    return env


def wait_until(predicate, *, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout}s waiting until {message}")
        time.sleep(0.1)


def is_gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def postmaster_pid(pgdata: Path) -> int:
    return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])


def postmasters_serving(pgdata: Path) -> list[psutil.Process]:
    return [
        process
        for process in psutil.process_iter(["name", "cmdline"])
        if process.info["name"] == "postgres" and str(pgdata) in (process.info["cmdline"] or ())
    ]


class Server:
    """A web server on the embedded database, in a session of its own (as a terminal's job)."""

    name = ""

    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.address = f"127.0.0.1:{self.port}"
        self.log = pgdata.parent / f"{self.name}-{self.port}.log"
        with self.log.open("wb") as log, _signals_as_from_a_terminal():
            self.process = subprocess.Popen(
                self.command(),
                cwd=BASE_DIR,
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.children: list[int] = []

    def command(self) -> list[str]:
        raise NotImplementedError

    def env(self) -> dict[str, str]:
        return portal_env(self.pgdata)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]

    def users(self) -> list[int]:
        return json.loads((self.pgdata / ".handle_pids.json").read_text() or "[]")

    def wait_until_serving(self, children: int) -> None:
        """Until /healthz says the database answers, from ``children`` processes that joined it."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited ({self.process.returncode}):\n{self.output()}")
            with contextlib.suppress(httpx.TransportError):
                response = httpx.get(f"http://{self.address}/healthz", timeout=10, trust_env=False)
                # Fail at once, rather than time out, when the database cannot answer.
                assert response.json() == {"database": "ok"}, self.output()
                self.children = [child.pid for child in psutil.Process(self.process.pid).children()]
                if len(self.children) == children and set(self.children) <= set(self.users()):
                    return
            time.sleep(0.2)
        pytest.fail(f"{self.name} did not serve within {START_TIMEOUT}s:\n{self.output()}")

    def send(self, signum: int, whom: str) -> None:
        if whom == "group":
            os.killpg(self.process.pid, signum)
        elif whom == "process":
            self.process.send_signal(signum)
        else:
            assert whom == "child"
            os.kill(self.children[0], signum)

    def wait_until_gone(self) -> None:
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{self.name} is still running:\n{self.output()}")
        wait_until(
            lambda: all(is_gone(pid) for pid in self.children),
            timeout=STOP_TIMEOUT,
            message=f"{self.name}'s children have exited",
        )

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(STOP_TIMEOUT)


class Run(Server):
    """`make run`: `manage.py runserver`, whose autoreloader serves from one child process."""

    name = "runserver"

    def command(self) -> list[str]:
        return [sys.executable, "manage.py", "runserver", "--skip-checks", self.address]


class Serve(Server):
    """`make serve`: gunicorn, with two workers."""

    name = "gunicorn"

    def command(self) -> list[str]:
        return [str(GUNICORN), "--config", "gunicorn.conf.py", "refuge.wsgi"]

    def env(self) -> dict[str, str]:
        return super().env() | {
            "DEBUG": "0",
            "SECRET_KEY": "embedded-db-test-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "GUNICORN_BIND": self.address,
            "WEB_CONCURRENCY": "2",
        }


def assert_database_stopped(pgdata: Path, pid: int) -> None:
    wait_until(
        lambda: is_gone(pid) and not (pgdata / "postmaster.pid").exists(),
        timeout=STOP_TIMEOUT,
        message=f"the embedded PostgreSQL (PID {pid}) has stopped",
    )


@pytest.fixture(scope="module")
def scratch():
    # Not pytest's tmp_path: the machine's other test runs share (and prune) its directories.
    with tempfile.TemporaryDirectory(prefix="refuge-embedded-db-") as directory:
        yield Path(directory)


@pytest.fixture(scope="module")
def initialised_pgdata(scratch) -> Path:
    """A data directory initdb has filled, once: each test starts from a copy of it."""
    pgdata = scratch / "template" / "pgdata"
    subprocess.run(
        [sys.executable, "-c", "import refuge.settings"],
        cwd=BASE_DIR,
        env=portal_env(pgdata),
        check=True,
        timeout=START_TIMEOUT,
    )
    assert not (pgdata / "postmaster.pid").exists()
    return pgdata


@pytest.fixture
def pgdata(initialised_pgdata, scratch) -> Path:
    pgdata = Path(tempfile.mkdtemp(dir=scratch)) / "pgdata"
    # cp -a keeps the owner (a root run gives the data to pgserver's own user).
    subprocess.run(["cp", "-a", str(initialised_pgdata), str(pgdata)], check=True)
    return pgdata


@pytest.fixture
def start(pgdata):
    """Start a server on the test's data directory; whatever is left of it goes afterwards."""
    servers: list[Server] = []

    def start(kind: type[Server] = Run, *, children: int = 1) -> Server:
        server = kind(pgdata)
        servers.append(server)
        server.wait_until_serving(children)
        return server

    yield start
    for server in servers:
        server.kill()
    for postmaster in postmasters_serving(pgdata):  # started by our servers, on our directory
        postmaster.send_signal(signal.SIGINT)
        with contextlib.suppress(psutil.TimeoutExpired):
            postmaster.wait(STOP_TIMEOUT)


@pytest.mark.parametrize(
    ("signum", "whom"),
    [
        pytest.param(signal.SIGINT, "group", id="ctrl-c"),
        pytest.param(signal.SIGTERM, "process", id="kill-pid"),
        pytest.param(signal.SIGTERM, "group", id="systemctl-stop"),
        pytest.param(signal.SIGHUP, "group", id="terminal-closed"),
        # `fuser -k 8000/tcp`: the process on the port, killed outright; the reloader leaves.
        pytest.param(signal.SIGKILL, "child", id="port-holder-killed"),
    ],
)
def test_the_database_stops_with_the_server(pgdata, start, signum, whom):
    run = start()
    pid = postmaster_pid(pgdata)

    run.send(signum, whom)

    run.wait_until_gone()
    assert_database_stopped(pgdata, pid)


@pytest.mark.parametrize(
    "leftover",
    [
        # kill -9 of the server only: its PostgreSQL runs on, with nobody to stop it.
        "running-postgres",
        # Everything killed (a container killed outright, a power cut): a stale postmaster.pid ...
        "dead-pid",
        # ... whose PID another process has since (usual after a reboot or container restart),
        "reused-pid",
        # ... or cut short by the crash.
        "cut-short",
    ],
)
def test_a_new_run_starts_after_an_unclean_stop(pgdata, start, leftover):
    crashed = start()
    crashed_postmaster = psutil.Process(postmaster_pid(pgdata))
    backends = crashed_postmaster.children()
    crashed.kill()
    stranger = None
    if leftover != "running-postgres":
        crashed_postmaster.kill()
        wait_until(
            lambda: all(is_gone(p.pid) for p in [crashed_postmaster, *backends]),
            timeout=STOP_TIMEOUT,
            message="the killed PostgreSQL's processes have exited",
        )
        lock_file = pgdata / "postmaster.pid"
        if leftover == "reused-pid":
            stranger = subprocess.Popen(["sleep", "300"])
            # Both lock files name the dead postmaster, now the stranger.
            for path in lock_file, pgdata / ".s.PGSQL.5432.lock":
                lines = path.read_text().splitlines(keepends=True)
                path.write_text("".join([f"{stranger.pid}\n", *lines[1:]]))  # in place
        elif leftover == "cut-short":
            lines = lock_file.read_text().splitlines(keepends=True)
            lock_file.write_text("".join(lines[:3]))

    try:
        run = start()
        pid = postmaster_pid(pgdata)
        if leftover == "running-postgres":
            assert pid == crashed_postmaster.pid, "joined the server that was running"
        run.send(signal.SIGINT, "group")
        run.wait_until_gone()
        assert_database_stopped(pgdata, pid)
        if stranger:
            assert stranger.poll() is None, "the process that took the stale PID was killed"
    finally:
        if stranger:
            stranger.kill()
            stranger.wait()


def test_gunicorn_keeps_its_own_signal_handling(pgdata, start):
    """`make serve`: SIGHUP still reloads the workers, SIGTERM stops them, then the database."""
    serve = start(Serve, children=2)
    old_workers = serve.children

    serve.send(signal.SIGHUP, "process")
    wait_until(
        lambda: set(serve.users()).isdisjoint(old_workers) and len(serve.users()) == 2,
        timeout=START_TIMEOUT,
        message="new workers have replaced the old ones",
    )
    serve.wait_until_serving(children=2)
    # The old workers may have left before the new ones joined: the server may be a new one.
    pid = postmaster_pid(pgdata)

    serve.send(signal.SIGTERM, "process")
    serve.wait_until_gone()
    assert_database_stopped(pgdata, pid)
