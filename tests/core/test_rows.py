"""Lists read as plain values (core.rows) stay querysets and read translations as the
models do."""

import pytest
from django.core.paginator import Paginator
from django.utils import translation

from core.rows import Row, TranslatedValue, rows_of
from programme.models import Strand, StrandName
from tests.programme.factories import StrandFactory

pytestmark = pytest.mark.django_db


class Named(Row):
    translated_fields = ("title",)
    title = TranslatedValue()


def test_a_translated_value_is_the_active_language_then_english_then_empty():
    row = Named({"title_en": "Poetry", "title_ar": "شعر", "title_fa": ""})
    with translation.override("ar"):
        assert row.title == "شعر"
    with translation.override("fa"):
        assert row.title == "Poetry"
    with translation.override("en"):
        assert row.title == "Poetry"
    with translation.override("fa"):
        assert Named({"title_en": None, "title_ar": None, "title_fa": None}).title == ""


def test_a_row_lacking_a_field_fails_loudly():
    with pytest.raises(AttributeError):
        Row({"slug": "x"}).visibility  # noqa: B018


@pytest.fixture
def strands():
    return [
        StrandFactory(title=f"Strand {n}", title_ar=f"بخش {n}", slug=f"s-{n}", order=n)
        for n in range(5)
    ]


def test_rows_stay_a_queryset_that_filters_counts_slices_and_paginates(strands):
    names = Strand.objects.published().names()
    assert names.count() == 5
    assert [name.slug for name in names.filter(order__gte=3)] == ["s-3", "s-4"]
    assert [name.slug for name in names[1:3]] == ["s-1", "s-2"]
    assert names.exists()
    page = Paginator(names, 2).page(3)
    assert [name.slug for name in page.object_list] == ["s-4"]
    assert all(isinstance(name, StrandName) for name in names)


def test_rows_of_a_translated_model_keep_their_columns_in_every_language(strands):
    """modeltranslation's queryset renames and reorders the columns of values_list():
    the rows must still read each column as its own."""
    for language, expected in (("en", "Strand 2"), ("ar", "بخش 2"), ("fa", "Strand 2")):
        with translation.override(language):
            name = Strand.objects.published().names().get(slug="s-2")
            assert (name.pk, name.slug, name.order, name.title) == (
                strands[2].pk,
                "s-2",
                2,
                expected,
            )
            assert name.get_absolute_url() == strands[2].get_absolute_url()


def test_rows_are_made_by_the_function_given(strands):
    slugs = rows_of(Strand.objects.order_by("order"), ("slug",), lambda row: row[0].upper())
    assert list(slugs) == ["S-0", "S-1", "S-2", "S-3", "S-4"]


def test_a_stored_file_is_the_models_file_of_the_name_read():
    from django.db.models.fields.files import ImageFieldFile

    from core.rows import StoredFile
    from events.models import Event

    class Pictured(Row):
        image = StoredFile(Event)

    pictured = Pictured({"image": "events/abc.jpg"})
    assert isinstance(pictured.image, ImageFieldFile)
    assert pictured.image.name == "events/abc.jpg"
    assert pictured.image.url == "/media/events/abc.jpg"
    assert not Pictured({"image": ""}).image
    with pytest.raises(AttributeError, match="read, never set"):
        pictured.image = "events/other.jpg"
