"""Logs: a request id on every line, routes not paths, nothing about visitors."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from refuge.logging import RequestIdFilter, RequestLogMiddleware, request_id_var, scrub_event

pytestmark = pytest.mark.django_db


def test_each_response_carries_a_request_id(client):
    first = client.get("/about/")["X-Request-ID"]
    second = client.get("/about/")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_well_formed_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert client.get("/", headers={"x-request-id": "lb-1234abcd"})["X-Request-ID"] == "lb-1234abcd"
    hostile = client.get("/", headers={"x-request-id": "x\nforged log line"})["X-Request-ID"]
    assert "\n" not in hostile
    assert hostile != "x\nforged log line"


def test_request_lines_name_the_route_never_the_path(client, caplog):
    caplog.set_level(logging.INFO, logger="refuge.request")
    client.get("/volunteer/confirm/secret-token-value/")
    line = caplog.records[-1]
    assert line.getMessage() == "request"
    assert line.route == "volunteers:confirm"
    assert "secret-token-value" not in json.dumps(line.__dict__, default=str)


class _Capture(logging.Handler):
    """The records a logger writes, each stamped with its request id as the console's are."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_log():
    """What refuge.request writes, at the level the settings give it (not caplog's)."""
    logger = logging.getLogger("refuge.request")
    capture = _Capture()
    logger.addHandler(capture)
    try:
        yield capture.records
    finally:
        logger.removeHandler(capture)


class _Clock:
    """time.monotonic for the middleware: each request takes `seconds`."""

    def __init__(self, seconds):
        self.readings = iter((0.0, seconds))

    def monotonic(self):
        return next(self.readings)


def _through_the_middleware(status, *, seconds, monkeypatch, request_id="lb-slow-0001"):
    monkeypatch.setattr("refuge.logging.time", _Clock(seconds))
    middleware = RequestLogMiddleware(lambda request: HttpResponse(status=status))
    request = RequestFactory().get("/events/", headers={"x-request-id": request_id})
    return middleware(request)


def test_at_the_default_level_a_200_writes_no_log_line(client, request_log, monkeypatch):
    made = []
    monkeypatch.setattr(logging.Logger, "makeRecord",
                        lambda *args, **kwargs: made.append(args) or None)  # fmt: skip
    assert logging.getLogger("refuge.request").getEffectiveLevel() == logging.WARNING
    response = client.get("/events/")
    assert response.status_code == 200
    assert "X-Request-ID" in response
    assert request_log == []
    assert made == []  # not even a record built and dropped


def test_a_slow_request_is_logged_with_its_id_at_warning(settings, request_log, monkeypatch):
    settings.REQUEST_LOG_SLOW_MS = 500
    _through_the_middleware(200, seconds=0.4, monkeypatch=monkeypatch)
    assert request_log == []
    _through_the_middleware(200, seconds=0.6, monkeypatch=monkeypatch)
    (line,) = request_log
    assert line.levelno == logging.WARNING
    assert line.request_id == "lb-slow-0001"
    assert line.status == 200
    assert line.duration_ms == 600.0


def test_a_5xx_is_logged_with_its_id_at_error(request_log, monkeypatch):
    response = _through_the_middleware(503, seconds=0.001, monkeypatch=monkeypatch,
                                       request_id="lb-fail-0002")  # fmt: skip
    assert response["X-Request-ID"] == "lb-fail-0002"
    (line,) = request_log
    assert line.levelno == logging.ERROR
    assert line.request_id == "lb-fail-0002"
    assert line.status == 503


def test_request_log_level_info_writes_every_request(client, request_log):
    logging.getLogger("refuge.request").setLevel(logging.INFO)
    try:
        client.get("/events/", headers={"x-request-id": "lb-every-0003"})
    finally:
        logging.getLogger("refuge.request").setLevel(logging.WARNING)
    (line,) = request_log
    assert line.levelno == logging.INFO
    assert line.request_id == "lb-every-0003"
    assert line.route == "events:list"


def test_error_reports_carry_the_request_id():
    token = request_id_var.set("lb-report-0004")
    try:
        event = scrub_event({"request": {"url": "https://refuge.example.org/"}}, {})
    finally:
        request_id_var.reset(token)
    assert event["tags"]["request_id"] == "lb-report-0004"
    assert "tags" not in scrub_event({"request": {}}, {})  # outside a request: no tag


def test_log_lines_are_json_with_the_request_id(settings):
    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter(settings.LOGGING["formatters"]["json"]["fmt"],
                              rename_fields={"levelname": "level"})  # fmt: skip
    record = logging.LogRecord("refuge", logging.INFO, __file__, 1, "hello", None, None)
    token = request_id_var.set("abc123abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    data = json.loads(formatter.format(record))
    assert data["request_id"] == "abc123abc123"
    assert data["message"] == "hello"
    assert data["level"] == "INFO"


def test_error_reports_are_scrubbed_of_visitor_data():
    event = {
        "request": {
            "url": "https://refuge.example.org/volunteer/withdraw/abc.def/",
            "data": {"email": "amira@example.org"},
            "cookies": {"sessionid": "x"},
            "query_string": "q=amira",
            "headers": {"Cookie": "x", "X-Forwarded-For": "203.0.113.1", "Accept": "text/html"},
        },
        "user": {"ip_address": "203.0.113.1"},
    }
    scrubbed = scrub_event(event, {})
    assert "data" not in scrubbed["request"]
    assert "cookies" not in scrubbed["request"]
    assert "query_string" not in scrubbed["request"]
    assert scrubbed["request"]["headers"] == {"Accept": "text/html"}
    assert scrubbed["request"]["url"] == "https://refuge.example.org/volunteer/withdraw/…/"
    assert "user" not in scrubbed
