"""core.markup: the list items' HTML and dates are what format_html and the date filter give."""

import datetime
import decimal
import zoneinfo

import pytest
from django.template.defaultfilters import date
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from core.markup import date_label, html, joined

LONDON = zoneinfo.ZoneInfo("Europe/London")
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")

VALUES = [
    "Poetry & prose <em>\"quoted\"</em> 'single'",
    mark_safe('<span lang="en">kept as it is</span>'),
    gettext_lazy("Cancelled"),
    7,
    decimal.Decimal("5.00"),
    None,
    "",
    "شعر و نثر",
]


@pytest.mark.parametrize("value", VALUES)
def test_html_escapes_as_format_html_does(value):
    template = '<p class="x"{}>{} · <a href="/?q={}">{}</a></p>'
    made = html(template, value, value, value, value)
    assert made == format_html(template, value, value, value, value)
    assert isinstance(made, SafeString)


def test_html_of_safe_pieces_keeps_them_whole():
    inner = html("<b>{}</b>", "<i>")
    assert html("<p>{}</p>", inner) == "<p><b>&lt;i&gt;</b></p>"


def test_joined_keeps_safe_pieces_and_escapes_the_rest():
    assert joined([html("<b>{}</b>", "&"), "<i>", 3]) == "<b>&amp;</b>&lt;i&gt;3"


MOMENTS = [
    datetime.datetime(2026, 12, 1, 18, 30, tzinfo=LONDON),
    datetime.datetime(2026, 6, 1, 18, 30, tzinfo=LONDON),  # summer time
    datetime.datetime(2026, 12, 1, 22, 0, tzinfo=TEHRAN),  # the same instant, another wall time
    datetime.date(2026, 12, 1),
]
FORMATS = ["l j F Y", "TIME_FORMAT", "j", "M", "YEAR_MONTH_FORMAT", "l j F Y, H:i"]
TIMELESS = ("TIME_FORMAT", "l j F Y, H:i")
CASES = [
    (value, format_name)
    for value in MOMENTS
    for format_name in FORMATS
    if isinstance(value, datetime.datetime) or format_name not in TIMELESS
]


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
@pytest.mark.parametrize(("value", "format_name"), CASES)
def test_date_label_is_the_date_filter(language, value, format_name):
    with translation.override(language):
        assert date_label(value, format_name) == date(value, format_name)
        assert date_label(value, format_name) == date(value, format_name)  # remembered


def test_date_label_is_per_language():
    day = datetime.date(2026, 12, 1)
    with translation.override("en"):
        english = date_label(day, "l j F Y")
    with translation.override("ar"):
        arabic = date_label(day, "l j F Y")
    assert english == "Tuesday 1 December 2026"
    assert arabic != english


def test_one_instant_in_two_zones_is_two_labels():
    london = datetime.datetime(2026, 12, 1, 18, 30, tzinfo=LONDON)
    tehran = london.astimezone(TEHRAN)
    assert london == tehran  # one instant
    with translation.override("en"):
        assert date_label(london, "TIME_FORMAT") != date_label(tehran, "TIME_FORMAT")
