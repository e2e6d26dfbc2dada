"""What the home, programme, strand and writers pages list, by queries compiled once
(``programme.models``: ``listed_writers``, ``published_projects``, ``published_strands``,
``published_partners``, ``HomePage.load``): each reads what the queryset it stands for
reads, so no hidden, unconsented or withdrawn writer and nothing unpublished is listed."""

import datetime

import pytest
from django.utils import timezone

from programme.models import (
    HomePage,
    Partner,
    Project,
    Strand,
    Writer,
    WriterVisibility,
    listed_writers,
    published_partners,
    published_projects,
    published_strands,
)
from tests.programme.factories import (
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
    WriterFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)
LATER = timezone.now() + datetime.timedelta(days=2)


def years(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=365 * n)


@pytest.fixture
def programme():
    shahrazad, community = StrandFactory(slug="shahrazad"), StrandFactory(slug="community")
    StrandFactory(slug="draft", status="draft")
    StrandFactory(slug="announced", publish_from=LATER - datetime.timedelta(days=1))
    ProjectFactory(strand=shahrazad, slug="stories")
    ProjectFactory(strand=community, slug="library")
    ProjectFactory(strand=community, slug="unfinished", status="draft")
    for strand in (shahrazad, community):
        WriterFactory(strand=strand, residency_start=TODAY - years(1), residency_end=None)
        WriterFactory(strand=strand, residency_start=TODAY - years(3), residency_end=TODAY)
        WriterFactory(strand=strand, residency_start=TODAY + years(1))
        WriterFactory(
            strand=strand, residency_start=TODAY - years(5), residency_end=TODAY - years(4)
        )
        WriterFactory(strand=strand, name="Hidden", visibility=WriterVisibility.HIDDEN)
        WriterFactory(strand=strand, name="Unlisted", visibility=WriterVisibility.UNLISTED)
        WriterFactory(strand=strand, name="No consent", consent_recorded_on=None)
        WriterFactory(
            strand=strand, name="Withdrawn", consent_withdrawn_on=datetime.date(2025, 1, 1)
        )
    PartnerFactory(name="Funder")
    PartnerFactory(name="Later", publish_from=LATER - datetime.timedelta(days=1))
    return {"shahrazad": shahrazad, "community": community}


def test_the_writers_listed_are_the_queryset_s_in_every_shape(programme):
    writers = Writer.objects.listed()
    for strand in (None, programme["shahrazad"].pk, programme["community"].pk):
        of = writers.filter(strand_id=strand) if strand else writers
        assert [w.pk for w in listed_writers(today=TODAY, strand=strand)] == [
            w.pk for w in of.in_residency_order(today=TODAY).as_features()
        ]
        assert listed_writers(today=TODAY, strand=strand).count() == of.count()
        assert [w.pk for w in listed_writers(today=TODAY, strand=strand, current=True)] == [
            w.pk for w in of.current(today=TODAY)
        ]
        assert [w.pk for w in listed_writers(today=TODAY, strand=strand, latest=True)] == [
            w.pk for w in of.latest_first(today=TODAY)
        ]
    names = {w.name for w in listed_writers(today=TODAY)}
    assert not {"Hidden", "Unlisted", "No consent", "Withdrawn"} & names
    assert len(names) == 8
    assert listed_writers(today=TODAY)[0].pk == Writer.objects.listed().most_recent(today=TODAY).pk


def test_the_strands_projects_and_supporters_are_the_published_ones(programme):
    assert [s.slug for s in published_strands()] == [s.slug for s in Strand.objects.published()]
    assert [s.slug for s in published_strands()] == ["shahrazad", "community"]
    assert "announced" in [s.slug for s in published_strands(now=LATER)]
    projects = published_projects()
    assert [p.slug for p in projects] == [p.slug for p in Project.objects.published()]
    assert [p.strand.slug for p in projects] == ["shahrazad", "community"]
    community = programme["community"].pk
    assert [p.slug for p in published_projects(strand=community, cards=True)] == ["library"]
    assert [p.name for p in published_partners()] == [p.name for p in Partner.objects.published()]
    assert [p.name for p in published_partners(now=LATER)] == ["Funder", "Later"]


def test_the_home_page_words_are_read_when_there_are_some():
    assert HomePage.load() is None
    HomePage.objects.create(
        heading="Welcome",
        introduction="<p>Hello.</p>",
        volunteer_heading="Help",
        volunteer_text="Do.",
    )
    assert HomePage.load().heading == "Welcome"
