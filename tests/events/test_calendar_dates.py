"""The month grid's dates (``calendar_dates()``) answer as the Occurrences they stand for."""

import datetime

import pytest
from django.utils import timezone, translation

from core.translated import fallback_fields
from events.models import Event, Occurrence
from tests.events.factories import dates_in_every_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def dates():
    dates_in_every_state()
    return Occurrence.objects.published()


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_each_date_answers_as_its_occurrence(dates, language):
    with translation.override(language):
        models = list(dates.select_related("event").order_by("start"))
        light = dates.order_by("start").calendar_dates()
        assert len(light) == len(models) == 6
        for model, date in zip(models, light, strict=True):
            assert date.pk == model.pk
            assert date.get_absolute_url() == model.get_absolute_url()
            assert (date.local_start, date.local_end) == (model.local_start, model.local_end)
            assert date.cancelled == model.cancelled
            assert date.cancellation_note == model.cancellation_note
            assert date.event.title == model.event.title
            assert date.event.all_day == model.event.all_day
            assert fallback_fields(date.event, "title") == fallback_fields(model.event, "title")
        assert sum(date.cancelled for date in light) == 2
        assert any(date.event.title == "Called off" for date in light)
        if language == "ar":
            assert {date.event.title for date in light} >= {"ورشة أسبوعية", "Called off"}


def test_a_title_with_no_english_falls_back_to_nothing_not_none(dates):
    Event.objects.filter(title="Called off").update(title_en="")
    with translation.override("ar"):
        titles = {date.event.title for date in Occurrence.objects.published().calendar_dates()}
    assert "" in titles
    assert None not in titles


def test_the_grid_reads_one_query(dates, django_assert_num_queries):
    first = timezone.localdate()
    with django_assert_num_queries(1):
        Occurrence.objects.published().between(
            first, first + datetime.timedelta(days=60)
        ).calendar_dates()
