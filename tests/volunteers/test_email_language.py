"""Volunteer emails' HTML says which language and direction it is in."""

import pytest
from django.template import engines
from django.utils import translation


@pytest.mark.parametrize(
    ("language", "opening"),
    [("en-gb", '<html lang="en-GB" dir="ltr">'), ("ar", '<html lang="ar" dir="rtl">')],
)
def test_the_email_html_names_its_language_and_direction(language, opening, settings):
    template = engines["django"].from_string(
        '{% extends "volunteers/email/base.html" %}{% block body %}Hi{% endblock %}'
    )
    with translation.override(language):
        html = template.render({"portal": settings.PORTAL})
    assert opening in html
