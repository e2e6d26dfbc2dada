"""`make bench`'s own parts, at a tiny size, so the benchmark cannot rot unnoticed."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import dataset, measure
from events.models import Event, Occurrence
from programme.models import Writer
from volunteers.models import VolunteerApplication


@pytest.fixture
def tiny_dataset(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return dataset.build(dataset.FULL.scaled(0.05))


def test_the_dataset_has_every_kind_of_row_the_issue_asks_for(tiny_dataset):
    assert Occurrence.objects.count() >= 200
    assert Event.objects.exclude(rrule="").count() >= 2
    assert Writer.objects.exclude(visibility="public").exists()
    assert Writer.objects.filter(consent_recorded_on__isnull=True).exists()
    assert VolunteerApplication.objects.count() >= 500
    assert Event.objects.exclude(image="").exists()
    assert tiny_dataset["occurrences"] == Occurrence.objects.count()


def test_the_floor_is_served_by_the_benchmark_urlconf_beside_the_portal(settings, db):
    settings.ROOT_URLCONF = "bench.urls"
    client = Client()
    floor = client.get("/bench/floor/")
    assert floor.content == b"ok"
    assert "no-store" in floor["Cache-Control"]
    assert client.get("/about/").status_code in {200, 404}  # the portal's own URLs


def test_measure_counts_queries_and_the_first_load(tiny_dataset, settings, monkeypatch):
    settings.ROOT_URLCONF = "bench.urls"
    # Tests collect no static files; count each one as a kilobyte.
    monkeypatch.setattr(measure, "static_bytes", lambda url: 1000)
    monkeypatch.setattr(measure, "stylesheet_fonts", lambda url: {"/static/font.woff2"})
    results = measure.measure(
        [
            {"name": "home", "path": "/"},
            {"name": "feed 304", "path": "/events/feed.ics", "needs_etag": True},
        ]
    )
    assert 0 < results["home"]["queries"] <= 8
    # Kept fragments skip the queries behind them (one read of the content generation).
    assert results["home"]["queries_kept"] < results["home"]["queries"]
    first_load = results["home"]["first_load"]
    assert first_load["css"] > 0
    assert first_load["js"] > 0
    assert first_load["total"] == sum(v for k, v in first_load.items() if k != "total")
    assert results["feed 304"]["status"] == 304
    assert results["_dataset"]["occurrences"] == Occurrence.objects.count()


def test_the_floor_pays_for_no_cache_lookup(client, settings, db):
    """Pages pay for their cache lookups (queries, with PostgreSQL as the shared cache);
    the floor they are compared with must not, or every share would look better."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.CACHE_EXEMPT_PATHS = ["/bench/floor/"]
    settings.PAGE_CACHE_SECONDS = settings.FRAGMENT_CACHE_SECONDS = 600
    with CaptureQueriesContext(connection) as floor:
        assert client.get("/bench/floor/").status_code == 200
    with CaptureQueriesContext(connection) as page:
        assert client.get("/robots.txt").status_code == 200
    assert len(floor.captured_queries) == 0
    assert any("refuge_cache" in query["sql"] for query in page.captured_queries)
