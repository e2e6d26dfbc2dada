"""Logs: a request id on every line, routes not paths, nothing about visitors."""

import json
import logging

import pytest

from refuge.logging import scrub_event

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


def test_log_lines_are_json_with_the_request_id(settings):
    from pythonjsonlogger.json import JsonFormatter

    from refuge.logging import RequestIdFilter, request_id_var

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
