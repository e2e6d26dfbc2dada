"""A per-client rate limit whose counter every gunicorn worker shares.

The counter is incremented atomically in one round trip: Redis ``INCR`` when
``REDIS_URL`` is set, otherwise a PostgreSQL ``INSERT … ON CONFLICT DO UPDATE``
on ``RateLimitCounter``. Never per-process memory (each worker would count on
its own) and never Django's database cache (its ``incr`` is read-then-write).

Counters use fixed windows and are keyed by a keyed hash of the client's
network, so no IP address is ever stored.
"""

import datetime
import hashlib
import hmac
import ipaddress
import logging
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.client_ip import client_ip

logger = logging.getLogger(__name__)

KEY_PREFIX = "refuge:ratelimit"


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    retry_after: int


def client_network(ip: str) -> str:
    """One IPv4 address, or the /64 an IPv6 client can freely move around in."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _key(scope: str, ip: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), client_network(ip).encode(), hashlib.sha256
    ).hexdigest()[:32]
    retry_after = window - int(now % window)
    return f"{KEY_PREFIX}:{scope}:{bucket}:{digest}", retry_after


@cache
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


def _increment_redis(key: str, window: int) -> int:
    pipe = _redis_client(settings.REDIS_URL).pipeline(transaction=True)
    pipe.incr(key)
    pipe.expire(key, window + 60, nx=True)
    count, _ = pipe.execute()
    return int(count)


def _increment_postgres(key: str, window: int) -> int:
    expires_at = timezone.now() + datetime.timedelta(seconds=window + 60)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO volunteers_ratelimitcounter (key, count, expires_at) "
            "VALUES (%s, 1, %s) "
            "ON CONFLICT (key) DO UPDATE "
            "SET count = volunteers_ratelimitcounter.count + 1 "
            "RETURNING count",
            [key, expires_at],
        )
        return int(cursor.fetchone()[0])


def increment(key: str, window: int) -> int:
    """Add one to the shared counter and return its new value."""
    if settings.REDIS_URL:
        import redis

        try:
            return _increment_redis(key, window)
        except redis.RedisError as error:
            # Keep limiting through PostgreSQL rather than stop taking applications.
            logger.warning("Redis unavailable for rate limiting (%s).", type(error).__name__)
    return _increment_postgres(key, window)


def hit(request, *, scope: str, limit: int, window: int) -> RateLimitResult:
    """Count one request from this client; say whether it is within ``limit`` per ``window``."""
    key, retry_after = _key(scope, client_ip(request), window, time.time())
    count = increment(key, window)
    return RateLimitResult(allowed=count <= limit, count=count, retry_after=retry_after)


def delete_expired_counters() -> int:
    """Tidy the PostgreSQL counters (Redis expires its own). Run by the daily purge."""
    from core.models import RateLimitCounter

    deleted, _ = RateLimitCounter.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
