"""Gunicorn settings for production (and `make serve`), from the environment."""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# SIGTERM lets in-flight requests finish for this long before workers are stopped.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak can never take the site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Off by default: access lines carry client IPs and raw paths (which can hold a
# volunteer's token); access logs belong to the proxy. The portal itself logs only server
# errors and slow requests, by route, with their request id (refuge/logging.py).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Only these addresses may set X-Forwarded-* headers (the load balancer).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Hide what the worker has loaded (Django, the apps, the URLconf: ~120,000 objects)
    from the cycle collector. They live as long as the worker, yet each full collection
    walked them all: a 90 ms pause every 50 or so requests, on whichever visitor's
    request it fell (measured in process, docs/benchmarks.md)."""
    gc.freeze()
