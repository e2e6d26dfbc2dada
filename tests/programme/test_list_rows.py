"""A strand's writers and projects, and the writers page, read their records as plain
values (``as_features()``, ``as_cards()``): each must show what its model shows, and
nothing a writer withheld."""

import datetime

import pytest
from django.utils import translation

from programme.models import Project, Writer
from programme.templatetags.programme_tags import project_card, writer_feature
from tests.programme.factories import ProjectFactory, StrandFactory, WriterFactory
from tests.programme.images import phone_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def writers():
    strand = StrandFactory()
    common = {"strand": strand, "portrait_alt": "The writer smiling"}
    WriterFactory(
        name="Shown in full",
        portrait=phone_photo(600, 800, orientation=1),
        show_portrait=True,
        show_country=True,
        summary_ar="شاعرة",
        **common,
    )
    WriterFactory(
        name="Portrait withheld",
        portrait=phone_photo(600, 800, orientation=1),
        show_portrait=False,
        country_of_origin="Secretland",
        **common,
    )
    WriterFactory(
        name="Past resident",
        residency_start=datetime.date(2020, 1, 1),
        residency_end=datetime.date(2020, 6, 30),
        summary="",
        **common,
    )
    WriterFactory(name="Coming soon", residency_start=datetime.date(2099, 1, 1), **common)
    return Writer.objects.listed().order_by("name")


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_each_writer_feature_is_the_one_its_writer_makes(writers, language):
    with translation.override(language):
        models = list(writers)
        rows = list(writers.as_features())
        assert len(rows) == len(models) == 4
        for model, row in zip(models, rows, strict=True):
            assert writer_feature(row) == writer_feature(model)
            assert row.residency_state() == model.residency_state()


def test_what_a_writer_withheld_stays_withheld(writers):
    rows = {row.name: row for row in writers.as_features()}
    withheld = writer_feature(rows["Portrait withheld"])
    assert "<picture>" not in withheld
    assert "Secretland" not in withheld
    shown = writer_feature(rows["Shown in full"])
    assert "<picture>" in shown
    assert "Freedonia" in shown


def test_the_writers_page_lists_rows_in_residency_order(writers, client):
    response = client.get("/writers/")
    names = [writer.name for writer in response.context["writers"]]
    assert names == ["Portrait withheld", "Shown in full", "Coming soon", "Past resident"]
    assert "Secretland" not in response.text
    assert response.text.count("<picture>") == 1


@pytest.mark.parametrize("language", ["en", "ar"])
def test_each_project_card_is_the_one_its_project_makes(language):
    strand = StrandFactory(title_ar="المجتمع")
    ProjectFactory(strand=strand, title="Drawn", title_ar="مرسوم", audiences=[])
    ProjectFactory(
        strand=strand,
        title="Pictured",
        image=phone_photo(800, 600, orientation=1),
        image_alt="Children reading",
    )
    projects = Project.objects.published().filter(strand=strand).order_by("title")
    with translation.override(language):
        models = list(projects.select_related("strand"))
        cards = list(projects.as_cards())
        assert len(cards) == 2
        for model, card in zip(models, cards, strict=True):
            assert project_card(card) == project_card(model)
            assert card.get_absolute_url() == model.get_absolute_url()
