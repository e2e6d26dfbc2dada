"""The load generator: locust (headless, as a library) against one running gunicorn.

``python -m bench.load --host http://127.0.0.1:8765 --plan plan.json --out out.json``
keeps ``--users`` simulated visitors busy with no think time and points them at one
page after another: a warm-up pass over every page, then ``--rounds`` rounds that take
the pages in a different order each time (interleaved, so a slow spell of the machine
does not land on one page), ``--seconds`` per page. Each measurement records requests
per second and the exact p50/p99 of its response times; the result keeps every round
and the medians.
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


def run(host: str, plan: list[dict], *, users: int, seconds: float, rounds: int, warmup: float):
    recorder = Recorder()
    environment = Environment(user_classes=[Visitor], host=host)
    environment.events.request.add_listener(recorder)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users * 10)
    gevent.sleep(0.5)
    for page in plan:
        burst(recorder, page, warmup, users)
    measured = {page["name"]: [] for page in plan}
    for number in range(rounds):
        shift = (number * len(plan)) // max(rounds, 1) + number
        for page in plan[shift % len(plan) :] + plan[: shift % len(plan)]:
            measured[page["name"]].append(burst(recorder, page, seconds, users))
    runner.quit()
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
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text())
    results = run(
        args.host,
        plan,
        users=args.users,
        seconds=args.seconds,
        rounds=args.rounds,
        warmup=args.warmup,
    )
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
