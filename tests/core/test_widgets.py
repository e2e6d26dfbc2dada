"""core.widgets give the HTML Django's own widget templates give."""

import datetime
import re

import pytest
from django import forms

from core import widgets

ATTRS = [
    None,
    {"class": "form-select", "id": "id_x"},
    {"id": "id_x", "aria-invalid": True, "aria-describedby": 'x_error "quoted"', "hidden": False},
]


def folded(html: str) -> str:
    """Django's select template puts line breaks and indents between options."""
    return re.sub(r">\s+<", "><", html.strip())


def both(ours, django, *args):
    return str(ours.render(*args)), folded(str(django.render(*args)))


CHOICES = [("", "Everyone"), ("young-people", "Young people"), ("a&b", 'Quotes "and" <tags>')]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", ["", "young-people", "a&b", None, "not offered"])
def test_select(attrs, value):
    ours, django = both(
        widgets.Select(choices=CHOICES), forms.Select(choices=CHOICES), "audience", value, attrs
    )
    assert ours == django


def test_a_select_with_option_groups_is_left_to_django():
    grouped = [("Ages", [("young", "Young"), ("old", "Old")]), ("", "Any")]
    ours, django = both(widgets.Select(choices=grouped), forms.Select(choices=grouped), "a", "old")
    assert folded(ours) == django
    assert "<optgroup" in ours


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [True, False, None, "", "on"])
def test_checkbox(attrs, value):
    ours, django = both(widgets.CheckboxInput(), forms.CheckboxInput(), "free", value, attrs)
    assert ours == django


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", [None, "", datetime.date(2026, 12, 5), "2026-13-45 <b>"])
def test_date_input(attrs, value):
    ours, django = both(
        widgets.DateInput(format="%Y-%m-%d"),
        forms.DateInput(format="%Y-%m-%d"),
        "start",
        value,
        attrs,
    )
    assert ours == django
