"""Logs a charity can keep: one JSON line per event, a request id, no personal data.

Each request gets an id (``X-Request-ID``, echoed in the response) that every
log line written while handling it carries, and every error report (``scrub_event``
tags it), so an error report can be matched to its request. Request lines name the
*route* (``events:detail``), never the raw path: paths can hold a volunteer's
confirmation token.

The request log costs nothing by default: access logs belong to the proxy. A request
is written only when it is worth a look, at a level that says why: a 5xx at ERROR, a
request slower than ``REQUEST_LOG_SLOW_MS`` at WARNING, anything else at INFO. The
``refuge.request`` logger's level (``REQUEST_LOG_LEVEL``, ``WARNING`` by default) picks
which are written; ``INFO`` writes every request. A level that is off costs one
comparison, never a record.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings
from django.views.debug import ExceptionReporter

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
logger = logging.getLogger("refuge.request")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# Signed links in paths open a person's data: a volunteer's application, an attendee's
# booking (and with it a withheld venue). Wherever a path is written down (error reports,
# Django's own request log lines, the report mailed to ADMINS) the token is masked.
_TOKEN_IN_PATH = re.compile(
    r"/(volunteer/(?:confirm|withdraw)|bookings/(?:confirm|manage|calendar))/[^/\s'\"<>]+"
)


def mask_tokens(text: str) -> str:
    """The text with every signed link's token replaced by an ellipsis."""
    return _TOKEN_IN_PATH.sub(r"/\1/…", text)


class MaskTokensFilter(logging.Filter):
    """For Django's request and server loggers, whose lines quote the raw path."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def request_log_level(status: int, duration_ms: float, slow_ms: int) -> int:
    """The level a request is logged at: ERROR for a 5xx, WARNING when slow, else INFO."""
    if status >= 500:
        return logging.ERROR
    if slow_ms and duration_ms >= slow_ms:
        return logging.WARNING
    return logging.INFO


class RequestLogMiddleware:
    """Assigns the request id; writes a line for a request the log level asks for:
    route, status, time (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.slow_ms = getattr(settings, "REQUEST_LOG_SLOW_MS", 1000)

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response.headers["X-Request-ID"] = request_id
            duration_ms = (time.monotonic() - started) * 1000
            level = request_log_level(response.status_code, duration_ms, self.slow_ms)
            if logger.isEnabledFor(level):
                match = getattr(request, "resolver_match", None)
                logger.log(
                    level,
                    "request",
                    extra={
                        "method": request.method,
                        "route": match.view_name if match else "-",
                        "status": response.status_code,
                        "duration_ms": round(duration_ms, 1),
                    },
                )
            return response
        finally:
            request_id_var.reset(token)


def _drop_frame_variables(event) -> None:
    """A frame's local variables can hold anything a view had in hand (a booking, the venue,
    a calendar file's body): reports carry the code's path, never its data."""
    for section in ("exception", "threads"):
        for value in (event.get(section) or {}).get("values") or []:
            for frame in (value.get("stacktrace") or {}).get("frames") or []:
                frame.pop("vars", None)


def _mask_messages(event) -> None:
    for key in ("message", "transaction"):
        if isinstance(event.get(key), str):
            event[key] = mask_tokens(event[key])
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        for key in ("message", "formatted"):
            if isinstance(logentry.get(key), str):
                logentry[key] = mask_tokens(logentry[key])
        logentry.pop("params", None)


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
        request["url"] = mask_tokens(request["url"])
    _drop_frame_variables(event)
    _mask_messages(event)
    event.pop("user", None)
    request_id = request_id_var.get()
    if request_id != "-":  # the report names the request its log lines carry
        event.setdefault("tags", {})["request_id"] = request_id
    return event


class MaskedExceptionReporter(ExceptionReporter):
    """The report Django mails to ADMINS on a 500, with signed links' tokens masked."""

    def get_traceback_text(self):
        return mask_tokens(super().get_traceback_text())

    def get_traceback_html(self):
        return mask_tokens(super().get_traceback_html())
