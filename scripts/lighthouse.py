"""Lighthouse's four scores for the portal's main pages, on a phone.

`make lighthouse` runs this. It serves the demo content with `make serve`
(gunicorn, production settings) on a free port of 127.0.0.1, in a database of
its own (var/lighthouse/pgdata, never DATABASE_URL's), runs the Lighthouse
pinned in tools/lighthouse/ against each page with the machine's Chromium, and
prints a table. Lighthouse's defaults are the mobile preset: a Moto G Power
sized screen, a slow 4G network and a 4x slower CPU, simulated.

The full reports are kept in var/lighthouse/ (HTML, to open in a browser, and
JSON). The exit status is 1 when a page is below the targets (performance 95,
the other categories 100), so the target can guard a release by hand.
"""

import argparse
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
VAR = BASE / "var" / "lighthouse"
PYTHON = BASE / ".venv" / "bin" / "python"
LIGHTHOUSE = BASE / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Name and path; None is "the first event on the events list".
PAGES = [
    ("home", "/"),
    ("events", "/events/"),
    ("event", None),
    ("writers", "/writers/"),
    ("volunteer-form", "/volunteer/apply/"),
]
EVENT_LINK = re.compile(r'class="event-card__title"><a href="([^"]+)"')


def say(message: str) -> None:
    sys.stderr.write(f"[lighthouse {time.strftime('%H:%M:%S')}] {message}\n")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (our own http://127.0.0.1)
        return response.read().decode()


def server_env(port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "EMBEDDED_PGDATA": str(VAR / "pgdata"),
        "PORT": str(port),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    env.pop("DATABASE_URL", None)  # demo content goes into our own database, never yours
    return env


def load_demo(env: dict[str, str]) -> None:
    """Migrate and load the demo content, as `make run` does, with `make serve`'s settings."""
    env = {
        **env,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": env.get("SECRET_KEY") or "local-lighthouse-not-for-the-internet",
    }
    for command in (["migrate", "--noinput"], ["createcachetable"], ["load_demo"]):
        subprocess.run(  # noqa: S603 (our own manage.py)
            [str(PYTHON), "manage.py", *command, "--verbosity", "0"],
            cwd=BASE,
            env=env,
            stdout=sys.stderr,  # stdout is for the table
            check=True,
        )


class Server:
    """`make serve` in the background, in a process group of its own, so it stops whole."""

    def __init__(self, port: int, env: dict[str, str]):
        self.url = f"http://127.0.0.1:{port}"
        self.env = env
        self.log = VAR / "serve.log"
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            ["make", "--no-print-directory", "serve", f"PORT={self.env['PORT']}"],  # noqa: S607
            cwd=BASE,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                fetch(self.url + "/healthz")
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
            else:
                return self
        self.__exit__()
        raise SystemExit(f"`make serve` did not answer on {self.url}; see {self.log}")

    def __exit__(self, *exc):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def first_event_path(base_url: str) -> str:
    match = EVENT_LINK.search(fetch(base_url + "/events/"))
    if match is None:
        raise SystemExit("The events list shows no event; is the demo content loaded?")
    return html.unescape(match.group(1))


def lighthouse(url: str, name: str, chrome_path: str) -> dict[str, int]:
    """Run Lighthouse once (mobile preset); return each category's score out of 100."""
    subprocess.run(  # noqa: S603
        [  # noqa: S607 (node from PATH, as make finds npm)
            "node",
            str(LIGHTHOUSE),
            url,
            "--quiet",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--output=json",
            "--output=html",
            f"--output-path={VAR / name}",
        ],
        env={**os.environ, "CHROME_PATH": chrome_path},
        check=True,
    )
    report = json.loads((VAR / f"{name}.report.json").read_text())
    scores = {key: round((report["categories"][key]["score"] or 0) * 100) for key in CATEGORIES}
    scores["cls"] = report["audits"]["cumulative-layout-shift"]["numericValue"]
    return scores


def table(rows: list[tuple[str, str, dict]]) -> str:
    header = ("page", "path", "perf", "a11y", "best", "seo", "CLS")
    lines = [header]
    for name, path, scores in rows:
        lines.append(
            (name, path, *(str(scores[key]) for key in CATEGORIES), f"{scores['cls']:.3f}")
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port for `make serve` (0: any free)")
    parser.add_argument("--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    parser.add_argument("--page", action="append", help="only these pages (by name)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse`, which installs it.")
    if not (shutil.which(args.chrome) or Path(args.chrome).exists()):
        raise SystemExit(f"No Chromium at {args.chrome}: install it or set CHROME_PATH.")
    VAR.mkdir(parents=True, exist_ok=True)
    env = server_env(args.port or free_port())
    say("loading the demo content into var/lighthouse/pgdata")
    load_demo(env)
    rows = []
    with Server(int(env["PORT"]), env) as server:
        say(f"`make serve` answers on {server.url}")
        for name, path in PAGES:
            if args.page and name not in args.page:
                continue
            path = path or first_event_path(server.url)  # noqa: PLW2901
            say(f"{name}: {path}")
            rows.append((name, path, lighthouse(server.url + path, name, args.chrome)))
    sys.stdout.write(table(rows) + "\n")
    sys.stdout.write(f"Reports: {VAR.relative_to(BASE)}/<page>.report.html\n")
    below = [
        f"{name} {key} {scores[key]} < {target}"
        for name, _path, scores in rows
        for key, target in TARGETS.items()
        if scores[key] < target
    ]
    for line in below:
        say(f"below target: {line}")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
