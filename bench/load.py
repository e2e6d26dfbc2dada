"""The load generator: locust (headless, as a library) against one running gunicorn.

``python -m bench.load --host http://127.0.0.1:8765 --plan plan.json --out out.json``
keeps ``--users`` simulated visitors busy with no think time and points them at one
page after another: a warm-up pass over every page, then ``--rounds`` rounds that take
the pages in a different order each time (interleaved, so a slow spell of the machine
does not land on one page), ``--seconds`` per page. Each measurement records requests
per second and the exact p50/p99 of its response times; the result keeps every round
and the medians.

**Anchors** (``--anchors "bare floor,floor"``): a machine whose speed wanders (a virtual
one, a third of its CPU taken by its neighbours at times) slows for spells of ten or
twenty seconds; a page measured in a spell, against a floor measured outside it, looks
slower than it is, and one in a quiet spell faster. So each round also stops at the
anchors (half a burst each) before every ``--every`` pages and once after the last
round, and each page's burst is set against the anchors' bursts on either side
of it: ``paired`` gives, per anchor, the median over the rounds of the page's requests
per second over the mean of those two. The plain figures are kept beside it.
"""

import argparse
import json
import statistics
import time
from collections import Counter
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, task
from locust.env import Environment

from bench.anchors import paired_shares, schedule


class Visitor(FastHttpUser):
    wait_time = constant(0)
    target: tuple[str, dict] = ("/", {})
    # Visitors that have sent a request for the current target: each has at most one
    # request in flight, so once all of them have, nothing for the previous page is left.
    switched: set[int] = set()

    @task
    def visit(self):
        path, headers = Visitor.target
        Visitor.switched.add(id(self))
        self.client.get(path, headers=headers, name=path)


class Recorder:
    def __init__(self):
        self.times: list[float] = []
        self.statuses: Counter = Counter()
        self.failures = 0

    def __call__(self, response_time, name=None, exception=None, response=None, **kwargs):
        if name != Visitor.target[0]:
            return  # a request for the previous page, answered late
        if exception is not None:
            self.failures += 1
            return
        self.times.append(response_time)
        self.statuses[getattr(response, "status_code", 0)] += 1

    def reset(self):
        self.times, self.statuses, self.failures = [], Counter(), 0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def settle(users: int, timeout: float = 60.0) -> None:
    """Wait until every request still running is one for the current page."""
    deadline = time.monotonic() + timeout
    while len(Visitor.switched) < users and time.monotonic() < deadline:
        gevent.sleep(0.005)


def burst(recorder: Recorder, page: dict, seconds: float, users: int) -> dict:
    Visitor.target = (page["path"], page.get("headers", {}))
    Visitor.switched = set()
    settle(users)
    recorder.reset()
    began = time.perf_counter()
    gevent.sleep(seconds)
    elapsed = time.perf_counter() - began
    times = list(recorder.times)
    return {
        "rps": len(times) / elapsed,
        "p50_ms": percentile(times, 0.50),
        "p99_ms": percentile(times, 0.99),
        "requests": len(times),
        "failures": recorder.failures,
        "statuses": {str(code): count for code, count in recorder.statuses.items()},
    }


def run(
    host: str,
    plan: list[dict],
    *,
    users: int,
    seconds: float,
    rounds: int,
    warmup: float,
    anchors: tuple[str, ...] = (),
    every: int = 3,
):
    recorder = Recorder()
    environment = Environment(user_classes=[Visitor], host=host)
    environment.events.request.add_listener(recorder)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users * 10)
    gevent.sleep(0.5)
    for page in plan:
        burst(recorder, page, warmup, users)
    measured = {page["name"]: [] for page in plan}
    by_name = {page["name"]: page for page in plan}
    stops = [by_name[name] for name in anchors]
    ran = []
    for page in schedule(plan, rounds=rounds, anchors=stops, every=every):
        found = burst(recorder, page, seconds / 2 if page.get("stop") else seconds, users)
        ran.append({"name": page["name"], "rps": found["rps"], "stop": page.get("stop", False)})
        if not page.get("stop"):
            measured[page["name"]].append(found)
    runner.quit()
    paired = paired_shares(ran, list(anchors))
    results = {}
    for name, samples in measured.items():
        statuses = Counter()
        for sample in samples:
            statuses.update(sample["statuses"])
        results[name] = {
            "rps": statistics.median(sample["rps"] for sample in samples),
            "p50_ms": statistics.median(sample["p50_ms"] for sample in samples),
            "p99_ms": statistics.median(sample["p99_ms"] for sample in samples),
            "failures": sum(sample["failures"] for sample in samples),
            "statuses": dict(statuses),
            "rounds": samples,
            "paired": paired.get(name, {}),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument("--anchors", default="", help="pages each page is set against")
    parser.add_argument("--every", type=int, default=3, help="pages between anchor stops")
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text())
    anchors = tuple(name for name in args.anchors.split(",") if name)
    unknown = set(anchors) - {page["name"] for page in plan}
    if unknown:
        parser.error(f"--anchors names no page of the plan: {', '.join(sorted(unknown))}")
    results = run(
        args.host,
        plan,
        users=args.users,
        seconds=args.seconds,
        rounds=args.rounds,
        warmup=args.warmup,
        anchors=anchors,
        every=args.every,
    )
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
