"""The per-client rate limit and the spam traps, on both counter backends."""

import os
import socket
import threading
import uuid

import pytest
from django.db import connection
from django.test import RequestFactory

from core import ratelimit
from core.models import RateLimitCounter
from volunteers.models import VolunteerApplication

REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url(settings, monkeypatch):
    """The machine's Redis, with keys of our own; skipped without one (failed under CI)."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        message = f"No Redis at {REDIS_TEST_URL} (set TEST_REDIS_URL to use another)."
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"refuge-test:{uuid.uuid4().hex}"
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", prefix)
    settings.REDIS_URL = REDIS_TEST_URL
    yield client
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(params=["postgres", "redis"])
def backend(request):
    if request.param == "redis":
        return request.getfixturevalue("redis_url")
    return None


def limited(settings, limit):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": limit, "RATE_LIMIT_WINDOW": 3600}


@pytest.mark.django_db
def test_over_the_limit_gets_a_friendly_429(client, form_data, settings, backend):
    limited(settings, 2)
    for _ in range(2):
        assert client.post("/volunteer/apply/", {}).status_code == 200  # errors, but counted
    written = "I ran a <poetry> club for 6 years & would love to help."
    response = client.post("/volunteer/apply/", {**form_data, "message": written})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    # Nothing they wrote is lost: given back, escaped, to copy and send later.
    assert "I ran a &lt;poetry&gt; club for 6 years &amp; would love to help.</textarea>" in html
    assert "Please wait a little" in html
    assert "Please try again in" in html
    assert "cityofrefuge@example.org" in html
    assert not VolunteerApplication.objects.exists()
    # Another client is not affected.
    other = client.post("/volunteer/apply/", form_data, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 302
    # Reading the form is never limited.
    assert client.get("/volunteer/apply/").status_code == 200
    if backend is not None:
        assert not RateLimitCounter.objects.exists()  # Redis held the counter, not PostgreSQL
        assert list(backend.scan_iter(f"{ratelimit.KEY_PREFIX}:*"))
    else:
        assert RateLimitCounter.objects.count() == 2


@pytest.mark.django_db
def test_counters_store_no_ip_address(client, settings):
    client.post("/volunteer/apply/", {}, REMOTE_ADDR="203.0.113.77")
    (counter,) = RateLimitCounter.objects.all()
    assert "203.0.113.77" not in counter.key


@pytest.mark.django_db(transaction=True)
def test_counter_is_shared_and_atomic_across_concurrent_workers(backend, settings):
    """Many threads (separate connections, like gunicorn workers) lose no increment."""
    key = f"{ratelimit.KEY_PREFIX}:concurrency:{uuid.uuid4().hex}"
    threads, per_thread = 8, 25
    barrier = threading.Barrier(threads)
    errors = []

    def worker():
        try:
            barrier.wait()
            for _ in range(per_thread):
                ratelimit.increment(key, 60)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert ratelimit.increment(key, 60) == threads * per_thread + 1


@pytest.mark.django_db
def test_redis_down_falls_back_to_postgres(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    assert ratelimit.increment("fallback-key", 60) == 1
    assert ratelimit.increment("fallback-key", 60) == 2
    assert RateLimitCounter.objects.get(key="fallback-key").count == 2


# ---------------------------------------------------------------- whose address
@pytest.mark.parametrize(
    ("header", "count", "meta", "expected"),
    [
        # No trusted header: the connection's address, whatever the client claims.
        ("", 1, {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "10.0.0.1"),
        # One proxy appends the address it saw: that one, not what the client wrote before it.
        ("X-Forwarded-For", 1, {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.1"}, "198.51.100.1"),
        # Two proxies: the client is second from the right.
        ("X-Forwarded-For", 2, {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.1, 10.0.0.2"},
         "198.51.100.1"),
        ("X-Real-IP", 1, {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        # Missing or malformed header: fall back to the connection's address.
        ("X-Forwarded-For", 1, {}, "10.0.0.1"),
        ("X-Forwarded-For", 1, {"HTTP_X_FORWARDED_FOR": "not-an-ip"}, "10.0.0.1"),
        ("X-Forwarded-For", 3, {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, "10.0.0.1"),
    ],
)  # fmt: skip
def test_client_ip_trusts_only_the_configured_header(settings, header, count, meta, expected):
    settings.CLIENT_IP_HEADER = header
    settings.CLIENT_IP_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **meta)
    assert ratelimit.client_ip(request) == expected


def test_ipv6_clients_are_counted_by_their_64():
    assert ratelimit.client_network("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert ratelimit.client_network("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert ratelimit.client_network("192.0.2.1") == "192.0.2.1"


@pytest.mark.django_db
def test_proxy_header_decides_who_is_limited(client, settings, form_data):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    limited(settings, 1)
    first = client.post("/volunteer/apply/", {}, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert first.status_code == 200
    # A client faking an earlier entry is still the same client to us.
    spoofed = client.post("/volunteer/apply/", {}, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert spoofed.status_code == 429
    other = client.post("/volunteer/apply/", form_data, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302


@pytest.mark.django_db
def test_honeypot_with_redis_backend_too(client, form_data, redis_url):
    form_data["website"] = "spam"
    assert client.post("/volunteer/apply/", form_data)["Location"] == "/volunteer/thanks/"
    assert not VolunteerApplication.objects.exists()
