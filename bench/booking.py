"""The booking POST for `make bench`: visitors book free places, under the bench's load.

Two halves, as for the read pages:

- ``python -m bench.booking --out targets.json`` (``DATABASE_URL`` naming the benchmark
  database) lists the booking pages of dates that take bookings now: free events booked
  on the site, published, upcoming and open (the dataset gives them ample places, so the
  run books places rather than joining waiting lists).
- ``python -m bench.booking --host … --targets targets.json --load out.json`` keeps
  ``--users`` visitors busy with no think time, as ``bench.load`` does for the read pages.
  Each visitor, again and again: GETs a booking page (the dates taken in turn), reads its
  form ticket and CSRF token, and POSTs a booking with an address of its own
  (``bench-<run>-<n>@example.org``), not following the redirect. ``--rounds`` rounds of
  ``--seconds`` each after a warm-up; the POST and the GET are recorded apart, with the
  same figures as every other row (req/s, p50, p99, statuses), medians of the rounds.

A real visitor takes longer than the form's minimum fill time; the bench's settings
lower it to 0 rather than idle the load (``bench/settings.py``), and raise the booking
rate limit, which would otherwise answer 429 after ten posts from 127.0.0.1 (the limit
is still counted, so its cost is in the figures). Mail goes to Django's dummy backend:
each POST renders its "confirm your booking" email after the commit, as in production,
but talks to no mail server.
"""

import argparse
import datetime
import itertools
import json
import os
import re
import statistics
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

PAGE, POST = "booking page", "booking POST"
MOST_DATES = 40
HIDDEN = r'name="{}" value="([^"]+)"'


def targets(limit: int = MOST_DATES) -> list[str]:
    """Booking pages of dates open for booking now, the soonest first."""
    from django.utils import timezone

    from bookings import services
    from events.models import BookingMode, Occurrence

    now = timezone.now()
    dates = (
        Occurrence.objects.published()
        .filter(
            event__booking=BookingMode.PORTAL,
            is_cancelled=False,
            start__gt=now + datetime.timedelta(days=1),
        )
        .select_related("event")
        .order_by("start", "pk")
    )
    paths = []
    for occurrence in dates.iterator():
        if services.availability(occurrence=occurrence, now=now) == services.Availability.OPEN:
            paths.append(f"/bookings/{occurrence.pk}/")
            if len(paths) >= limit:
                break
    return paths


def form_fields(html: str) -> dict[str, str] | None:
    """The hidden fields a booking POST must carry back, or None if the page has no form."""
    fields = {}
    for name in ("csrfmiddlewaretoken", "ticket"):
        found = re.search(HIDDEN.format(name), html)
        if found is None:
            return None
        fields[name] = found.group(1)
    return fields


def load(host: str, paths: list[str], *, users: int, seconds: float, rounds: int) -> dict:
    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment

    run_id = f"{os.getpid()}-{int(time.time())}"
    numbers = itertools.count()
    recorded = {PAGE: [], POST: []}
    statuses = {PAGE: Counter(), POST: Counter()}
    failures = Counter()

    class Booker(FastHttpUser):
        wait_time = constant(0)

        @task
        def book(self):
            number = next(numbers)
            path = paths[number % len(paths)]
            page = self.client.get(path, name=PAGE)
            fields = form_fields(page.text or "") if page.status_code == 200 else None
            if fields is None:
                return
            data = {
                **fields,
                "name": f"Bench Visitor {number}",
                "email": f"bench-{run_id}-{number}@example.org",
                "places": "1",
                "consent": "on",
                "website": "",
            }
            self.client.post(
                path,
                data=urlencode(data),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                name=POST,
                allow_redirects=False,
            )

    def record(request_type, name, response_time, response=None, exception=None, **kwargs):
        if name not in recorded:
            return
        if exception is not None and getattr(response, "status_code", 0) in (0, None):
            failures[name] += 1
            return
        recorded[name].append(response_time)
        statuses[name][getattr(response, "status_code", 0)] += 1

    environment = Environment(user_classes=[Booker], host=host)
    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users * 10)
    gevent.sleep(1.0)  # the warm-up: workers and connections ready
    samples = {PAGE: [], POST: []}
    for _round in range(rounds):
        for name in recorded:
            recorded[name] = []
        began = time.perf_counter()
        gevent.sleep(seconds)
        elapsed = time.perf_counter() - began
        for name, times in recorded.items():
            samples[name].append(
                {
                    "rps": len(times) / elapsed,
                    "p50_ms": percentile(times, 0.50),
                    "p99_ms": percentile(times, 0.99),
                    "requests": len(times),
                }
            )
    runner.quit()
    return {
        name: {
            "rps": statistics.median(sample["rps"] for sample in rows),
            "p50_ms": statistics.median(sample["p50_ms"] for sample in rows),
            "p99_ms": statistics.median(sample["p99_ms"] for sample in rows),
            "failures": failures[name],
            "statuses": {str(code): count for code, count in statuses[name].items()},
            "rounds": rows,
        }
        for name, rows in samples.items()
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def table(results: dict, dates: int) -> str:
    lines = [
        f"Booking a free place ({dates} dates open for booking, each taken in turn):",
        "",
        "| request | req/s | p50 ms | p99 ms | statuses |",
        "|---|---|---|---|---|",
    ]
    for name in (PAGE, POST):
        row = results[name]
        codes = ", ".join(f"{code}: {count}" for code, count in sorted(row["statuses"].items()))
        lines.append(
            f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} "
            f"| {codes or '–'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", help="write the booking pages to this file (Django side)")
    parser.add_argument("--host")
    parser.add_argument("--targets", help="the booking pages, from --out")
    parser.add_argument("--load", help="write the load's results to this file")
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.out:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        import django

        django.setup()
        Path(args.out).write_text(json.dumps(targets()))
        return
    paths = json.loads(Path(args.targets).read_text())
    if not paths:
        raise SystemExit("no date takes bookings now: nothing to book")
    results = load(args.host, paths, users=args.users, seconds=args.seconds, rounds=args.rounds)
    Path(args.load).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
