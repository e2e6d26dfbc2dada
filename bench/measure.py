"""What each benchmarked page costs apart from time: SQL queries and bytes.

``python -m bench.measure --plan plan.json --out out.json`` (``DATABASE_URL`` naming one
benchmark database) renders every page of the plan in process, with no cache at all
(and again with fragments kept, for their query count),
and records its SQL queries, its status, the HTML's gzip size and its *first load*: the
HTML plus every stylesheet, script and font it asks for and its above-the-fold images
(eager ``<img>``, at the WebP width a 375px phone at 2x picks), gzip-compressed as
whitenoise serves them.
"""

import argparse
import gzip
import json
import logging
import os
import re
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
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    logging.getLogger("refuge.request").setLevel(logging.WARNING)  # one line per request
    plan = json.loads(Path(args.plan).read_text())
    Path(args.out).write_text(json.dumps(measure(plan), indent=2))


if __name__ == "__main__":
    main()
