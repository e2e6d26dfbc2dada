"""What each benchmarked page costs apart from the load: SQL queries, bytes, server time.

``python -m bench.measure --plan plan.json --out out.json`` (``DATABASE_URL`` naming one
benchmark database) renders every page of the plan in process, with no cache at all
(and again with fragments kept, for their query count),
and records its SQL queries, its status, the HTML's gzip size and its *first load*: the
HTML plus every stylesheet, script and font it asks for and its above-the-fold images
(eager ``<img>``, at the WebP width a 375px phone at 2x picks), gzip-compressed as
whitenoise serves them.

With ``--times`` it also records each page's **server time** (``server_times``): the
request handed straight to the WSGI application ``gunicorn`` serves, no socket and no
load generator, with no cache at all and as a kept page, the bare view among them. Under
load the load generator shares the machine's cores and its cost grows with the bytes it
receives; these figures are the server's alone, and steady from one run to the next.
"""

import argparse
import gc
import gzip
import json
import logging
import os
import re
import statistics
import time
from pathlib import Path

PHONE_PIXELS = 750  # a 375px-wide phone screen at device-pixel ratio 2
ATTRIBUTE = r'{}="([^"]*)"'


def attribute(tag: str, name: str) -> str | None:
    match = re.search(ATTRIBUTE.format(name), tag)
    return match.group(1) if match else None


def static_bytes(url: str) -> int:
    """A collected static file's size as sent compressed (its .gz twin when there is one)."""
    from django.conf import settings

    path = Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL).split("?")[0]
    compressed = path.with_name(path.name + ".gz")
    return (compressed if compressed.exists() else path).stat().st_size


def media_bytes(url: str) -> int:
    from django.conf import settings

    return (Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)).stat().st_size


def stylesheet_fonts(url: str) -> set[str]:
    from django.conf import settings

    path = Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL)
    text = path.read_text(errors="ignore")
    base = url.rsplit("/", 1)[0]
    fonts = set()
    for found in re.findall(r"url\(['\"]?([^'\")]+\.woff2)['\"]?\)", text):
        fonts.add(found if found.startswith("/") else f"{base}/{found}")
    return {os.path.normpath(font) for font in fonts}


def above_the_fold_images(html: str) -> list[str]:
    chosen = []
    for picture in re.findall(r"<picture>(.*?)</picture>", html, flags=re.S):
        img = re.search(r"<img[^>]*>", picture)
        if img is None or attribute(img.group(0), "loading") == "lazy":
            continue
        webp = re.search(r'<source type="image/webp" srcset="([^"]*)"', picture)
        if webp is None:
            chosen.append(attribute(img.group(0), "src"))
            continue
        candidates = sorted(
            (int(width), url)
            for url, width in re.findall(r"(\S+) (\d+)w", webp.group(1).replace("&amp;", "&"))
        )
        wide_enough = [url for width, url in candidates if width >= PHONE_PIXELS]
        chosen.append(wide_enough[0] if wide_enough else candidates[-1][1])
    for img in re.findall(r"<img[^>]*>", re.sub(r"<picture>.*?</picture>", "", html, flags=re.S)):
        if attribute(img, "loading") != "lazy" and attribute(img, "src"):
            chosen.append(attribute(img, "src"))
    return [url for url in chosen if url]


def first_load(html: str) -> dict[str, int]:
    from django.conf import settings

    static = settings.STATIC_URL
    parts = {"html": len(gzip.compress(html.encode(), 6)), "css": 0, "js": 0, "fonts": 0}
    parts["images"] = 0
    fonts = set()
    for tag in re.findall(r"<link[^>]*>", html):
        href = attribute(tag, "href") or ""
        rel = attribute(tag, "rel") or ""
        if not href.startswith(static):
            continue
        if rel == "stylesheet":
            parts["css"] += static_bytes(href)
            fonts |= stylesheet_fonts(href)
        elif rel == "preload" and attribute(tag, "as") == "font":
            fonts.add(href)
    for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
        if src.startswith(static):
            parts["js"] += static_bytes(src)
    parts["fonts"] = sum(static_bytes(font) for font in fonts)
    for url in above_the_fold_images(html):
        if url.startswith(settings.MEDIA_URL):
            parts["images"] += media_bytes(url)
        elif url.startswith(static):
            parts["images"] += static_bytes(url)
    parts["total"] = sum(parts.values())
    return parts


def measure(plan: list[dict]) -> dict[str, dict]:
    from django.test import override_settings

    # Counted with nothing held (CACHE_HOLD_MS=0): a worker holds the content generation
    # for half a second, so a document that took longer than that to render (the whole
    # calendar on a slow machine) read it again on the next request and one that rendered
    # faster did not: the counts followed the machine's speed, not the page. Without the
    # hold every count is what a request pays once the hold has lapsed.
    with override_settings(CACHE_HOLD_MS=0):
        return _measure(plan)


def _measure(plan: list[dict]) -> dict[str, dict]:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for page in plan:
        headers = page.get("headers", {})
        if page.get("needs_etag"):
            etag = client.get(page["path"])["ETag"]
            headers = {"If-None-Match": etag}
        client.get(page["path"], headers=headers)  # once, so nothing is measured cold
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page["path"], headers=headers)
        result = {"status": response.status_code, "queries": len(queries.captured_queries)}
        content_type = response.get("Content-Type", "")
        if response.status_code == 200:
            result["gzip_bytes"] = len(gzip.compress(response.content, 6))
            if content_type.startswith("text/html"):
                result["first_load"] = first_load(response.content.decode())
        results[page["name"]] = result
    # Again with fragments kept (core/caching/fragments.py), as a visitor with cookies gets.
    with override_settings(FRAGMENT_CACHE_SECONDS=600):
        client = Client()
        for page in plan:
            headers = page.get("headers", {})
            if page.get("needs_etag"):
                headers = {"If-None-Match": client.get(page["path"])["ETag"]}
            client.get(page["path"], headers=headers)
            with CaptureQueriesContext(connection) as queries:
                client.get(page["path"], headers=headers)
            results[page["name"]]["queries_kept"] = len(queries.captured_queries)
    results["_dataset"] = dataset_counts()
    return results


def server_times(plan: list[dict], *, rounds: int = 3) -> dict[str, dict]:
    """Each page's time in the server alone, in median microseconds a request: with no
    cache at all (``cold_us``), and a hit on the kept page (``kept_us``: the page cache
    and fragments on, the generation held as in production). Rounds take
    the pages in turn, so a slow spell of the machine does not land on one page."""
    from django.test import override_settings

    from bench.wsgi import application

    modes = {
        "cold_us": ({"PAGE_CACHE_SECONDS": 0, "FRAGMENT_CACHE_SECONDS": 0}, 2),
        "kept_us": ({"PAGE_CACHE_SECONDS": 600, "FRAGMENT_CACHE_SECONDS": 600}, 40),
    }
    results = {page["name"]: {} for page in plan}
    for figure, (caches, requests) in modes.items():
        with override_settings(**caches):
            environs = {page["name"]: _environ_for(application, page) for page in plan}
            gc.freeze()  # as a gunicorn worker does once loaded (gunicorn.conf.py)
            samples = {name: [] for name in environs}
            for _ in range(rounds):
                for name, environ in environs.items():
                    began = time.perf_counter()
                    for _ in range(requests):
                        _serve(application, environ)
                    samples[name].append((time.perf_counter() - began) / requests)
        for name, times in samples.items():
            results[name][figure] = round(statistics.median(times) * 1_000_000, 1)
    return results


def _environ_for(application, page: dict) -> dict:
    """A WSGI environ for `page`, as a browser asks (gzip taken), served once already (its
    cache filled when kept; first its ETag read when the page is the conditional one)."""
    from wsgiref.util import setup_testing_defaults

    path, _, query = page["path"].partition("?")
    environ = {"PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": "testserver"}
    environ["HTTP_ACCEPT_ENCODING"] = "gzip, deflate"
    for name, value in page.get("headers", {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    setup_testing_defaults(environ)
    if page.get("needs_etag"):
        environ["HTTP_IF_NONE_MATCH"] = _serve(application, environ)["headers"]["ETag"]
    status = _serve(application, environ)["status"]
    expected = "304" if page.get("needs_etag") else "200"
    if not status.startswith(expected):  # an error page's time is no page's time
        raise RuntimeError(f"{page['path']} answered {status} in process, not {expected}")
    return environ


def _serve(application, environ: dict) -> dict:
    """One request: its status and headers, its body read."""
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered.update(status=status, headers=dict(headers))

    body = application(dict(environ), start_response)
    try:
        b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()  # as a WSGI server does: request_finished, connections tidied
    return answered


def dataset_counts() -> dict[str, int]:
    from events.models import Event, Occurrence
    from programme.models import Project, Writer
    from volunteers.models import VolunteerApplication

    return {
        "occurrences": Occurrence.objects.count(),
        "events": Event.objects.count(),
        "recurring_series": Event.objects.exclude(rrule="").count(),
        "writers": Writer.objects.count(),
        "writers_listed": Writer.objects.listed().count(),
        "projects": Project.objects.count(),
        "volunteer_applications": VolunteerApplication.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--times", action="store_true", help="also record server times")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    logging.getLogger("refuge.request").setLevel(logging.WARNING)  # one line per request
    plan = json.loads(Path(args.plan).read_text())
    results = measure(plan)
    if args.times:
        for name, times in server_times(plan).items():
            results[name]["server"] = times
    Path(args.out).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
