"""`make bench`: build the datasets, serve them with gunicorn, load them, print one table.

Everything lives under ``var/bench/``: a throwaway embedded PostgreSQL (deleted when the
run ends) holding two databases (``bench_full`` and the 10x smaller ``bench_small``),
their media and collected static files, and the results (``results.json``,
``results.md``). The dev data in ``var/pgdata`` is never touched.

For each data size gunicorn serves the portal with production settings
(``gunicorn.conf.py``: 2 sync workers), through ``bench.wsgi`` and ``bench.urls``, which add
two floors: ``/bench/bare/``, a Django view with no middleware at all (the *bare floor*, on
the same gunicorn), and ``/bench/floor/``, the same view through all of ours. The full
dataset is loaded with no cache at all; with the page cache off but fragments kept; with
both on, for an anonymous visitor (the shared cache PostgreSQL's cache table, as in a
deployment without Redis, and again on Redis when one answers at ``BENCH_REDIS_URL``); and
with both on for two returning visitors (``bench.visitors``): one bringing only a
``csrftoken`` cookie, one a real session too. The small dataset is loaded with no cache.
Query counts and bytes come from ``bench.measure``, requests per second and latencies
from ``bench.load`` (locust). Last, with both caches on, visitors book free places
(``bench.booking``: the booking page's GET and the booking POST, under the same load);
``python -m bench.run booking`` runs that part alone (at ``BENCH_SCALE``).

Every share is paired: each round stops at both floors (half a burst each) between every
three pages, and a page's share is its requests per second over the floor's on either side
of it, the median over the rounds (``bench.anchors``): on a virtual machine whose speed
wanders by a third, a page and the floor it is held against are measured in the same spell.

Tuning: BENCH_SECONDS (per page and round, default 2), BENCH_ROUNDS (3), BENCH_USERS
(concurrent visitors, 4), BENCH_PORT (8765), BENCH_SCALE (1: the full dataset's size),
BENCH_REDIS_URL (``redis://127.0.0.1:6379/12``; its keys get a prefix of the run's own,
deleted at the end; ``none`` skips the Redis row).
"""

import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE = Path(__file__).resolve().parent.parent
VAR = BASE / "var" / "bench"
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
USERS = int(os.environ.get("BENCH_USERS", "4"))
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
REDIS_PREFIX = f"bench-{os.getpid()}-{int(time.time())}"

QUERY_BUDGET = 8
UNCACHED_SHARE, CACHED_SHARE = 0.25, 0.50
# The issue's goals, against the bare floor: cached >= 50 %, with a session >= 33 %.
SESSION_SHARE_OF_BARE = 0.33
# Issue 17: every page rendered with no cache at all at 5% of the bare floor or better.
# Documents (the whole calendar, the sitemap) are files of every event, kept and answered
# with 304s (conditional_document): they are listed, not held to it, nor to the cached
# shares: in process a kept calendar costs the server what a kept page does (the table's
# server columns), and what it loses under load is the load generator, on the same cores,
# receiving 56 KB where a page is 5.
COLD_SHARE_OF_BARE = 0.05
DOCUMENTS = {"feed.ics", "feed.ics 304", "rss", "sitemap"}
CACHED_P99_MS = 10.0
FLOORS = ("bare floor", "floor")
# Every share is a page's speed over the floor's measured beside it, on either side
# (bench.load's anchors): a spell in which this machine slowed then weighs on both.
ANCHOR_EVERY = 3
HOME_FIRST_LOAD_BUDGET = 120 * 1000  # bytes, compressed

STRAND, PROJECT, WRITER, EVENT = (
    "community-programme",
    "strangers-and-canaries",
    "jiao-guobiao",
    "strangers-and-canaries-workshops",
)


def plan(today: datetime.date) -> list[dict]:
    """The pages measured, in the order the table shows them."""
    return [
        {"name": "bare floor", "path": "/bench/bare/"},
        {"name": "floor", "path": "/bench/floor/"},
        {"name": "home", "path": "/"},
        {"name": "programme", "path": "/programme/"},
        {"name": "strand", "path": f"/programme/{STRAND}/"},
        {"name": "project", "path": f"/programme/{STRAND}/{PROJECT}/"},
        {"name": "writers", "path": "/writers/"},
        {"name": "writer", "path": f"/writers/{WRITER}/"},
        {"name": "events", "path": "/events/"},
        {
            "name": "events filtered",
            "path": f"/events/?strand={STRAND}&audience=young-people&free=on",
        },
        {"name": "month", "path": f"/events/calendar/{today.year}/{today.month}/"},
        {"name": "day", "path": f"/events/calendar/{today.year}/{today.month}/{today.day}/"},
        {"name": "event", "path": f"/events/{EVENT}/"},
        {"name": "past events", "path": "/events/past/"},
        {"name": "search", "path": "/search/?q=poetry+workshop"},
        {"name": "feed.ics", "path": "/events/feed.ics"},
        {"name": "feed.ics 304", "path": "/events/feed.ics", "needs_etag": True},
        {"name": "rss", "path": "/events/rss/"},
        {"name": "sitemap", "path": "/sitemap.xml"},
        # Arabic (issue 16): the right-to-left interface and translated content, which reads
        # its language's columns with the English fallback, no extra query.
        {"name": "home (Arabic)", "path": "/ar/"},
        {"name": "events (Arabic)", "path": "/ar/events/"},
        {"name": "event (Arabic)", "path": f"/ar/events/{EVENT}/"},
    ]


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def env_for(
    url: str,
    *,
    page_cache_seconds: int = 0,
    fragments: bool = False,
    redis: bool = False,
    held: bool = True,
) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": "bench-only-secret-key-never-used-on-the-internet",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "MEDIA_ROOT": str(VAR / "media"),
        "STATIC_ROOT": str(VAR / "static"),
        "PAGE_CACHE_SECONDS": str(page_cache_seconds),
        "FRAGMENT_CACHE_SECONDS": "600" if fragments else "0",
        "STAFF_MFA_REQUIRED": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(BASE),
    }
    # Workers hold the generation and current pages (CACHE_HOLD_MS) unless this load is
    # the one that shows what a hit costs without.
    env.pop("CACHE_HOLD_MS", None)
    if not held:
        env["CACHE_HOLD_MS"] = "0"
    # The shared cache is what a deployment without Redis has: PostgreSQL's cache table,
    # unless this load is the Redis one.
    env.pop("REDIS_URL", None)
    if redis:
        env["REDIS_URL"] = REDIS_URL
        env["CACHE_KEY_PREFIX"] = REDIS_PREFIX
    return env


def redis_answers() -> bool:
    if REDIS_URL == "none":
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def forget_redis_keys() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{REDIS_PREFIX}:*"):
        client.delete(key)


def as_visitor(pages: list[dict], cookie: str) -> list[dict]:
    """The plan for a returning visitor: every request brings `cookie`."""
    return [{**page, "headers": {**page.get("headers", {}), "Cookie": cookie}} for page in pages]


def run(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, *args], cwd=BASE, env=env, check=True)


def sql(server_url: str, statement: str, *, fetch: bool = False):
    import psycopg

    connection = psycopg.connect(server_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchone()[0] if fetch else None
    finally:
        connection.close()


def port_is_free() -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(("127.0.0.1", PORT))
        except OSError:
            return False
    return True


class Gunicorn:
    """The portal under gunicorn.conf.py (2 sync workers), for one database and cache mode."""

    def __init__(self, env: dict, log: Path):
        self.env = {
            **env,
            "PORT": str(PORT),
            "GUNICORN_BIND": f"127.0.0.1:{PORT}",
            # Recycling a worker mid-measurement would time its restart, not the page.
            "GUNICORN_MAX_REQUESTS": "0",
            # As in production (gunicorn.conf.py): no access log, that is the proxy's; a
            # line written per request would be timed with every page and the floors.
            "GUNICORN_LOG_LEVEL": "warning",
        }
        self.env.pop("GUNICORN_ACCESS_LOG", None)
        self.log = log
        self.process = None

    def __enter__(self):
        if not port_is_free():  # a server left running would be measured instead
            raise RuntimeError(f"port {PORT} is in use; choose another with BENCH_PORT")
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "bench.wsgi:application",
            ],
            cwd=BASE,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2):
                    return self
            except (urllib.error.URLError, OSError):  # refused, reset, timed out
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start; see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def http_get(path: str, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (http, ours)
        response.read()
        return response.status, dict(response.headers)


def warm_anonymously(pages: list[dict], database_url: str) -> None:
    """Make every page a returning visitor's load asks for afresh, as an anonymous visitor
    taking gzip (as locust does). A visitor holding a session is answered from pages
    others made and never keeps one (core.caching.middleware): pages kept by an earlier
    load, still current when this one begins, expire within it (PAGE_CACHE_SECONDS,
    600 s), and with nobody anonymous to keep them again, the load would time rendered
    pages instead of hits. So the kept pages are dropped (the shared cache is
    PostgreSQL's table in these loads) and made again now. On a site that is open,
    anonymous visitors keep them."""
    if not any("Cookie" in page.get("headers", {}) for page in pages):
        return
    sql(database_url, "DELETE FROM refuge_cache WHERE cache_key LIKE '%:page:%'")
    for page in pages:
        http_get(page["path"], {"Accept-Encoding": "gzip, deflate"})


def load(env: dict, pages: list[dict], label: str) -> dict:
    with Gunicorn(env, VAR / f"gunicorn-{label}.log"):
        resolved = []
        for page in pages:
            ready = dict(page)
            if ready.pop("needs_etag", False):
                etag = http_get(ready["path"])[1]["ETag"]
                ready["headers"] = {**ready.get("headers", {}), "If-None-Match": etag}
            resolved.append(ready)
        warm_anonymously(resolved, env["DATABASE_URL"])
        plan_file = VAR / f"plan-{label}.json"
        plan_file.write_text(json.dumps(resolved))
        out = VAR / f"load-{label}.json"
        say(
            f"load: {label}: {len(pages)} pages x {ROUNDS} rounds x {SECONDS:g} s, {USERS} users,"
            f" the floors between every {ANCHOR_EVERY}"
        )
        run(
            "-m",
            "bench.load",
            f"--host=http://127.0.0.1:{PORT}",
            f"--plan={plan_file}",
            f"--out={out}",
            f"--users={USERS}",
            f"--seconds={SECONDS}",
            f"--rounds={ROUNDS}",
            f"--anchors={','.join(FLOORS)}",
            f"--every={ANCHOR_EVERY}",
            env=env,
        )
        return json.loads(out.read_text())


def load_booking(env: dict) -> dict:
    """Visitors book places (bench.booking): run last, as it adds bookings to the data."""
    targets = VAR / "booking-targets.json"
    run("-m", "bench.booking", f"--out={targets}", env=env)
    dates = len(json.loads(targets.read_text()))
    out = VAR / "load-booking.json"
    with Gunicorn(env, VAR / "gunicorn-booking.log"):
        say(f"load: booking: {dates} dates x {ROUNDS} rounds x {SECONDS:g} s, {USERS} users")
        run(
            "-m",
            "bench.booking",
            f"--host=http://127.0.0.1:{PORT}",
            f"--targets={targets}",
            f"--load={out}",
            f"--users={USERS}",
            f"--seconds={SECONDS}",
            f"--rounds={ROUNDS}",
            env=env,
        )
    return {"dates": dates, "results": json.loads(out.read_text())}


def booking_alone() -> int:
    """``python -m bench.run booking``: one dataset (BENCH_SCALE), the booking load alone."""
    from bench import booking

    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    sys.path.insert(0, str(BASE))
    from refuge.embedded_db import start_embedded_postgres

    say("starting a throwaway PostgreSQL in var/bench/pgdata")
    server_url = start_embedded_postgres(VAR / "pgdata", throwaway=True)
    url = database_url(server_url, "bench_full")
    sql(server_url, "CREATE DATABASE bench_full")
    env = env_for(url, page_cache_seconds=600, fragments=True)
    run("manage.py", "migrate", "--noinput", "--verbosity=0", env=env)
    run("manage.py", "createcachetable", env=env)
    run("manage.py", "collectstatic", "--noinput", "--verbosity=0", env=env)
    say(f"building the dataset (scale {SCALE:g})")
    run("-m", "bench.dataset", f"--scale={SCALE}", env=env)
    found = load_booking(env)
    (VAR / "results-booking.json").write_text(json.dumps(found, indent=2))
    print(booking.table(found["results"], found["dates"]))
    return 0


def machine(server_url: str) -> dict:
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
        "postgresql": sql(server_url, "SHOW server_version", fetch=True),
        "django": version("django"),
        "gunicorn": version("gunicorn"),
        "locust": version("locust"),
        "os": platform.platform(),
        "settings": {
            "seconds_per_page_per_round": SECONDS,
            "rounds": ROUNDS,
            "concurrent_users": USERS,
            "scale": SCALE,
        },
    }


def kb(value) -> str:
    return "" if value is None else f"{value / 1000:.1f}"


def assemble(pages, measured, loads, info, datasets) -> dict:
    cold, uncached, cached = loads["full-cold"], loads["full-uncached"], loads["full-cached"]
    small = loads["small-cold"]

    def share(mode: str, name: str, floor: str) -> float:
        """`name`'s share of `floor` in `mode`: set against the floor's bursts on either
        side of each of its own (bench.load's ``paired``), or, in a load without them,
        against the floor's median."""
        found = loads[mode][name]
        paired = found.get("paired", {}).get(floor)
        if paired is None:
            paired = found["rps"] / loads[mode][floor]["rps"]
        return round(paired, 3)

    def returning(mode: str, name: str) -> dict:
        """A row's figures in one of the later modes (absent: Redis did not answer)."""
        if mode not in loads:
            return {"rps": None, "p50_ms": None, "p99_ms": None, "share_of_bare": None}
        found = loads[mode][name]
        return {
            "rps": round(found["rps"], 1),
            "p50_ms": round(found["p50_ms"], 1),
            "p99_ms": round(found["p99_ms"], 1),
            "share_of_bare": share(mode, name, "bare floor"),
        }

    rows = []
    for page in pages:
        name = page["name"]
        full, tenth = measured["full"][name], measured["small"][name]
        rows.append(
            {
                "page": name,
                "path": page["path"],
                # No cache at all: every page rendered from scratch.
                "cold_rps": round(cold[name]["rps"], 1),
                "cold_p50_ms": round(cold[name]["p50_ms"], 1),
                "cold_share_of_floor": share("full-cold", name, "floor"),
                "cold_share_of_bare": share("full-cold", name, "bare floor"),
                # The page cache off, fragments kept: what a visitor with cookies gets.
                "rps": round(uncached[name]["rps"], 1),
                "p50_ms": round(uncached[name]["p50_ms"], 1),
                "p99_ms": round(uncached[name]["p99_ms"], 1),
                "share_of_floor": share("full-uncached", name, "floor"),
                # Anonymous visitors with the page cache on.
                "cached_rps": round(cached[name]["rps"], 1),
                "cached_p50_ms": round(cached[name]["p50_ms"], 1),
                "cached_p99_ms": round(cached[name]["p99_ms"], 1),
                "cached_share_of_floor": share("full-cached", name, "floor"),
                "cached_share_of_bare": share("full-cached", name, "bare floor"),
                # The page cache on Redis; returning visitors (a csrftoken; a real session).
                "redis": returning("full-cached-redis", name),
                "unheld": returning("full-cached-unheld", name),
                "csrf": returning("full-csrf", name),
                "session": returning("full-session", name),
                "small_cold_rps": round(small[name]["rps"], 1),
                "small_cold_share_of_floor": share("small-cold", name, "floor"),
                "queries": full["queries"],
                "queries_small": tenth["queries"],
                "queries_kept": full["queries_kept"],
                "status": full["status"],
                "load_statuses": uncached[name]["statuses"],
                "load_failures": sum(loads[mode][name]["failures"] for mode in loads),
                "gzip_bytes": full.get("gzip_bytes"),
                "first_load": full.get("first_load"),
                # In process, no load generator: the server's own time (bench.measure).
                "server": full.get("server"),
            }
        )
    return {"machine": info, "datasets": datasets, "pages": rows, "budgets": budgets(rows)}


def budgets(rows) -> list[dict]:
    by_name = {row["page"]: row for row in rows}
    public = [row for row in rows if row["page"] not in FLOORS]
    checks = []

    def check(name, ok, detail):
        checks.append({"budget": name, "holds": bool(ok), "detail": detail})

    over = [r["page"] for r in public if r["queries"] > QUERY_BUDGET]
    check("SQL queries per public page <= 8", not over, ", ".join(over) or "all pages")
    differ = [r["page"] for r in public if r["queries"] != r["queries_small"]]
    check("same query count at both sizes", not differ, ", ".join(differ) or "all pages")
    slow = [
        f"{r['page']} {r['share_of_floor']:.0%}"
        for r in public
        if r["share_of_floor"] < UNCACHED_SHARE
    ]
    lowest = min(public, key=lambda r: r["share_of_floor"])
    check(
        "page cache off (fragments kept) >= 25% of the floor",
        not slow,
        ", ".join(slow) or f"all pages; lowest {lowest['page']} {lowest['share_of_floor']:.0%}",
    )
    slow = [
        f"{r['page']} {r['cached_share_of_floor']:.0%}"
        for r in public
        if r["cached_share_of_floor"] < CACHED_SHARE
    ]
    lowest = min(public, key=lambda r: r["cached_share_of_floor"])
    check(
        "cached (anonymous) >= 50% of the floor",
        not slow,
        ", ".join(slow)
        or f"all pages; lowest {lowest['page']} {lowest['cached_share_of_floor']:.0%}",
    )
    pages_only = [r for r in public if r["page"] not in DOCUMENTS]
    slow = [
        f"{r['page']} {r['cold_share_of_bare']:.1%}"
        for r in pages_only
        if r["cold_share_of_bare"] < COLD_SHARE_OF_BARE
    ]
    documents = ", ".join(
        f"{r['page']} {r['cold_share_of_bare']:.1%}" for r in public if r["page"] in DOCUMENTS
    )
    check(
        "no cache at all >= 5% of the bare floor (pages)",
        not slow,
        (", ".join(slow) or "all pages") + f"; documents: {documents}",
    )

    def held_to(label: str, share_of, least: float) -> None:
        """Pages held to `least` of the bare floor; documents listed beside them."""
        slow = [f"{r['page']} {share_of(r):.0%}" for r in pages_only if share_of(r) < least]
        documents = ", ".join(
            f"{r['page']} {share_of(r):.0%}" for r in public if r["page"] in DOCUMENTS
        )
        check(label, not slow, (", ".join(slow) or "all pages") + f"; documents: {documents}")

    held_to(
        "cached (PostgreSQL cache) >= 50% of the bare floor (pages)",
        lambda r: r["cached_share_of_bare"],
        CACHED_SHARE,
    )
    for mode, label, share in (
        ("redis", "cached (Redis) >= 50% of the bare floor (pages)", CACHED_SHARE),
        ("csrf", "csrftoken only >= 50% of the bare floor (pages)", CACHED_SHARE),
        ("session", "with a session >= 33% of the bare floor (pages)", SESSION_SHARE_OF_BARE),
    ):
        if public[0][mode]["rps"] is None:
            check(label, True, "not measured (no Redis at BENCH_REDIS_URL)")
            continue
        held_to(label, lambda r, mode=mode: r[mode]["share_of_bare"], share)
    slow = [
        f"{r['page']} {r['cached_p99_ms']:.1f}"
        for r in public
        if r["cached_p99_ms"] > CACHED_P99_MS
    ]
    check("cached p99 <= 10 ms (PostgreSQL cache)", not slow, ", ".join(slow) or "all pages")
    home = by_name["home"]["first_load"]["total"]
    check("home first load <= 120 KB compressed", home <= HOME_FIRST_LOAD_BUDGET, f"{kb(home)} KB")
    conditional = by_name["feed.ics 304"]
    statuses = conditional["load_statuses"]
    check(
        "feed.ics conditional GET is a 304",
        conditional["status"] == 304 and set(statuses) == {"304"},
        f"status {conditional['status']}, under load {statuses}",
    )
    feed = by_name["feed.ics"]
    check(
        "full feed.ics bounded by its window",
        feed["queries"] == feed["queries_small"],
        f"{feed['queries']} / {feed['queries_small']} queries (full / 1/10), "
        f"{kb(feed['gzip_bytes'])} KB gzip",
    )
    search = by_name["search"]
    check(
        "search <= 8 queries and >= 25% of the floor (page cache off)",
        search["queries"] <= QUERY_BUDGET and search["share_of_floor"] >= UNCACHED_SHARE,
        f"{search['queries']} queries, {search['share_of_floor']:.0%} of the floor "
        f"({search['cold_share_of_floor']:.0%} with no cache at all)",
    )
    return checks


def table(result: dict) -> str:
    head = (
        "| page | no cache req/s | share | page cache off req/s | p50 ms | p99 ms | share "
        "| cached req/s | share | 1/10 data, no cache req/s | queries (full / 1/10) "
        "| queries, fragments kept | HTML gz KB | first load KB "
        "| server alone, no cache ms | server alone, kept µs |"
    )
    lines = [head, "|" + "---|" * 16]
    for row in result["pages"]:
        first = row["first_load"]["total"] if row["first_load"] else None
        server = row.get("server") or {}
        cold = f"{server['cold_us'] / 1000:.2f}" if "cold_us" in server else "–"
        kept = f"{server['kept_us']:.0f}" if "kept_us" in server else "–"
        lines.append(
            f"| {row['page']} | {row['cold_rps']:.0f} | {row['cold_share_of_floor']:.0%} "
            f"| {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {row['share_of_floor']:.0%} | {row['cached_rps']:.0f} "
            f"| {row['cached_share_of_floor']:.0%} | {row['small_cold_rps']:.0f} "
            f"| {row['queries']} / {row['queries_small']} | {row['queries_kept']} "
            f"| {kb(row['gzip_bytes'])} | {kb(first)} | {cold} | {kept} |"
        )
    returning_head = (
        "| page | cached, PostgreSQL req/s | p99 ms | share of bare "
        "| cached, Redis req/s | p99 ms | share of bare "
        "| csrftoken only req/s | p99 ms | share of bare "
        "| with a session req/s | p99 ms | share of bare "
        "| cached, PostgreSQL, nothing held req/s | p99 ms | share of bare |"
    )
    lines += [
        "",
        (
            "Cached pages and returning visitors, against the bare floor (no middleware);"
            " the last, with workers holding nothing (CACHE_HOLD_MS=0):"
        ),
        "",
        returning_head,
        "|" + "---|" * 16,
    ]

    def cells(figures: dict) -> str:
        if figures["rps"] is None:
            return "| – | – | – "
        return f"| {figures['rps']:.0f} | {figures['p99_ms']:.1f} | {figures['share_of_bare']:.0%} "

    for row in result["pages"]:
        cached = {
            "rps": row["cached_rps"],
            "p99_ms": row["cached_p99_ms"],
            "share_of_bare": row["cached_share_of_bare"],
        }
        lines.append(
            f"| {row['page']} {cells(cached)}{cells(row['redis'])}"
            f"{cells(row['csrf'])}{cells(row['session'])}{cells(row['unheld'])}|"
        )
    lines += ["", "| budget | holds | detail |", "|---|---|---|"]
    for check in result["budgets"]:
        lines.append(
            f"| {check['budget']} | {'yes' if check['holds'] else '**no**'} | {check['detail']} |"
        )
    return "\n".join(lines)


def main() -> int:
    began = time.monotonic()
    if VAR.exists():
        shutil.rmtree(VAR)
    VAR.mkdir(parents=True)
    sys.path.insert(0, str(BASE))
    from refuge.embedded_db import start_embedded_postgres

    say("starting a throwaway PostgreSQL in var/bench/pgdata")
    server_url = start_embedded_postgres(VAR / "pgdata", throwaway=True)
    urls = {size: database_url(server_url, f"bench_{size}") for size in ("full", "small")}
    sql(server_url, "CREATE DATABASE bench_full")
    say("migrating")
    run("manage.py", "migrate", "--noinput", "--verbosity=0", env=env_for(urls["full"]))
    run("manage.py", "createcachetable", env=env_for(urls["full"]))
    sql(server_url, "CREATE DATABASE bench_small TEMPLATE bench_full")
    run(
        "manage.py",
        "collectstatic",
        "--noinput",
        "--verbosity=0",
        env=env_for(urls["full"]),
    )
    datasets = {}
    for size, scale in (("full", SCALE), ("small", SCALE / 10)):
        say(f"building the {size} dataset (scale {scale:g})")
        run("-m", "bench.dataset", f"--scale={scale}", env=env_for(urls[size]))
    today = datetime.date.today()  # noqa: DTZ011 (the machine's date, as the portal's)
    pages = plan(today)
    plan_file = VAR / "plan.json"
    plan_file.write_text(json.dumps(pages))
    measured = {}
    for size in ("full", "small"):
        out = VAR / f"measure-{size}.json"
        times = ["--times"] if size == "full" else []  # the server's own time, in process
        run(
            "-m",
            "bench.measure",
            f"--plan={plan_file}",
            f"--out={out}",
            *times,
            env=env_for(urls[size]),
        )
        measured[size] = json.loads(out.read_text())
        datasets[size] = measured[size].pop("_dataset", None)
    visitors_file = VAR / "visitors.json"
    run("-m", "bench.visitors", f"--out={visitors_file}", env=env_for(urls["full"]))
    cookies = json.loads(visitors_file.read_text())
    cached_env = env_for(urls["full"], page_cache_seconds=600, fragments=True)
    loads = {
        "full-cold": load(env_for(urls["full"]), pages, "full-cold"),
        "full-uncached": load(env_for(urls["full"], fragments=True), pages, "full-uncached"),
        "full-cached": load(cached_env, pages, "full-cached"),
        "full-cached-unheld": load(
            env_for(urls["full"], page_cache_seconds=600, fragments=True, held=False),
            pages,
            "full-cached-unheld",
        ),
        "full-csrf": load(cached_env, as_visitor(pages, cookies["csrf"]), "full-csrf"),
        "full-session": load(cached_env, as_visitor(pages, cookies["session"]), "full-session"),
        "small-cold": load(env_for(urls["small"]), pages, "small-cold"),
    }
    if redis_answers():
        redis_env = env_for(urls["full"], page_cache_seconds=600, fragments=True, redis=True)
        try:
            loads["full-cached-redis"] = load(redis_env, pages, "full-cached-redis")
        finally:
            forget_redis_keys()
    else:
        say(f"no Redis at {REDIS_URL}: the Redis row is left out")
    booked = load_booking(cached_env)
    result = assemble(pages, measured, loads, machine(server_url), datasets)
    result["booking"] = booked
    result["machine"]["duration_s"] = round(time.monotonic() - began)
    (VAR / "results.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))
    from bench import booking

    text = table(result) + "\n\n" + booking.table(booked["results"], booked["dates"])
    (VAR / "results.md").write_text(text + "\n")
    print(text)
    info = result["machine"]
    say(
        f"{info['nproc']} x {info['cpu']}, {info['memory']}, Python {info['python']}, "
        f"PostgreSQL {info['postgresql']}; took {info['duration_s']} s. "
        f"Results: var/bench/results.json and results.md"
    )
    return 0


if __name__ == "__main__":
    sys.exit(booking_alone() if sys.argv[1:] == ["booking"] else main())
