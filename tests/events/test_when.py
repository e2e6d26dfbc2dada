"""When a date is (``{% when %}``): the four shapes a card, the event page and the
booking pages show, in the page's language and the programme's time zone."""

import pytest
from django.template import Context, Template
from django.utils import translation

from events.models import Occurrence
from tests.events.factories import EventFactory, local

pytestmark = pytest.mark.django_db


def when(start, end, *, all_day=False, language="en-gb") -> str:
    event = EventFactory(start=start, end=end, all_day=all_day)
    occurrence = Occurrence.objects.get(event=event)
    with translation.override(language):
        return Template("{% load events_tags %}{% when occurrence %}").render(
            Context({"occurrence": occurrence})
        )


def test_an_evening_has_its_day_and_both_times():
    assert when(local(2030, 5, 7, 18), local(2030, 5, 7, 19, 30)) == (
        '<time datetime="2030-05-07T18:00:00+01:00">Tuesday 7 May 2030, 18:00</time>'
        '–<time datetime="2030-05-07T19:30:00+01:00">19:30</time>'
    )


def test_a_night_past_midnight_names_both_days():
    assert when(local(2030, 12, 31, 22), local(2031, 1, 1, 1)) == (
        '<time datetime="2030-12-31T22:00:00+00:00">Tuesday 31 December 2030, 22:00</time>'
        ' – <time datetime="2031-01-01T01:00:00+00:00">Wednesday 1 January 2031, 01:00</time>'
    )


def test_an_all_day_date_says_so():
    assert when(local(2030, 5, 7), local(2030, 5, 7, 23, 59), all_day=True) == (
        '<time datetime="2030-05-07">Tuesday 7 May 2030</time>, all day'
    )


def test_all_day_over_several_days_gives_the_first_and_last():
    assert when(local(2030, 5, 7), local(2030, 5, 10, 23, 59), all_day=True) == (
        '<time datetime="2030-05-07">Tuesday 7 May 2030</time>'
        ' – <time datetime="2030-05-10">Friday 10 May 2030</time>'
    )


def test_in_arabic_the_words_are_arabic_and_the_machine_dates_unchanged():
    text = when(local(2030, 5, 7), local(2030, 5, 7, 23, 59), all_day=True, language="ar")
    assert text.startswith('<time datetime="2030-05-07">')
    assert "May" not in text
    assert "all day" not in text
