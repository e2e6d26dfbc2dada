"""Logs a charity can keep: one JSON line per event, a request id, no personal data.

Each request gets an id (``X-Request-ID``, echoed in the response) that every
log line written while handling it carries, so an error report can be matched
to its request. Request lines name the *route* (``events:detail``), never the
raw path: paths can hold a volunteer's confirmation token.
"""

import contextvars
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
logger = logging.getLogger("refuge.request")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class RequestLogMiddleware:
    """Assigns the request id and writes one line per request: route, status, time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id
            match = getattr(request, "resolver_match", None)
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "route": match.view_name if match else "-",
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


def scrub_event(event, hint):
    """Sentry: drop what could identify a visitor before anything leaves the server."""
    request = event.get("request") or {}
    for key in ("data", "cookies", "query_string", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    for name in list(headers):
        if name.lower() in {"cookie", "authorization", "x-forwarded-for", "x-real-ip"}:
            headers.pop(name)
    if "url" in request:
        request["url"] = re.sub(r"/volunteer/(confirm|withdraw)/[^/]+/", r"/volunteer/\1/…/",
                                request["url"])  # fmt: skip
    event.pop("user", None)
    return event
