"""Setting each page against the floors measured beside it (``bench.load``'s anchors).

Apart from the load generator, which patches the standard library as it is imported
(gevent), so the tests can check these without it.
"""

import statistics


def schedule(plan: list[dict], *, rounds: int, anchors: list[dict], every: int) -> list[dict]:
    """The bursts in the order they run: each round's pages, shifted, with a stop at the
    anchors before every `every` of them, and one after the last round (a burst of an
    anchor's stop carries ``"stop": True``)."""
    stop = [{**anchor, "stop": True} for anchor in anchors]
    step = max(every, 1) if stop else max(len(plan), 1)
    bursts = []
    for number in range(rounds):
        shift = (number * len(plan)) // max(rounds, 1) + number
        ordered = plan[shift % len(plan) :] + plan[: shift % len(plan)]
        for start in range(0, len(ordered), step):
            bursts += stop + ordered[start : start + step]
    return bursts + stop


def paired_shares(bursts: list[dict], anchors: list[str]) -> dict[str, dict[str, float]]:
    """Per page and anchor: the median over its bursts of its requests per second over the
    mean of the anchor's stops just before and just after it (`bursts` in the order run,
    each with ``name``, ``rps`` and, for a stop, ``stop``)."""
    shares: dict[str, dict[str, list[float]]] = {}
    for index, measured in enumerate(bursts):
        if measured.get("stop"):
            continue
        for anchor in anchors:
            around = [
                nearest["rps"]
                for nearest in (
                    _nearest_stop(reversed(bursts[:index]), anchor),
                    _nearest_stop(bursts[index + 1 :], anchor),
                )
                if nearest is not None
            ]
            if around and sum(around) > 0:
                reference = sum(around) / len(around)
                shares.setdefault(measured["name"], {}).setdefault(anchor, []).append(
                    measured["rps"] / reference
                )
    return {
        name: {anchor: statistics.median(values) for anchor, values in by_anchor.items()}
        for name, by_anchor in shares.items()
    }


def _nearest_stop(bursts, anchor: str) -> dict | None:
    return next((b for b in bursts if b.get("stop") and b["name"] == anchor), None)
