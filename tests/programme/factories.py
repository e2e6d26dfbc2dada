import datetime

import factory

from core.publishing import PublicationStatus
from programme.models import (
    Page,
    Partner,
    Project,
    Strand,
    Writer,
    WriterVisibility,
    Writing,
    WritingVersion,
)


class StrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strand

    title = factory.Sequence(lambda n: f"Strand {n}")
    slug = factory.Sequence(lambda n: f"strand-{n}")
    summary = factory.LazyAttribute(lambda o: f"What {o.title} is about.")
    body = "<p>The strand’s story.</p>"
    status = PublicationStatus.PUBLISHED
    order = factory.Sequence(lambda n: n)


class WriterFactory(factory.django.DjangoModelFactory):
    """A public writer whose consent is recorded; override to test the safety paths."""

    class Meta:
        model = Writer

    name = factory.Sequence(lambda n: f"Writer {n}")
    slug = factory.Sequence(lambda n: f"writer-{n}")
    visibility = WriterVisibility.PUBLIC
    consent_recorded_on = datetime.date(2024, 1, 1)
    consent_scope = "Name and biography."
    country_of_origin = "Freedonia"
    summary = "A poet and essayist."
    biography = "<p>Writes about home.</p>"
    residency_start = datetime.date(2024, 2, 1)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = "funder"
    status = PublicationStatus.PUBLISHED


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "<p>Words.</p>"
    status = PublicationStatus.PUBLISHED


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    strand = factory.SubFactory(StrandFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = factory.LazyAttribute(lambda o: f"What {o.title} does.")
    body = "<p>The project’s story.</p>"
    audiences = ["young-people"]
    status = PublicationStatus.PUBLISHED


class WritingFactory(factory.django.DjangoModelFactory):
    """A published poem by a public writer; add its versions with WritingVersionFactory."""

    class Meta:
        model = Writing

    writer = factory.SubFactory(WriterFactory)
    title = factory.Sequence(lambda n: f"Writing {n}")
    slug = factory.Sequence(lambda n: f"writing-{n}")
    kind = "poem"
    status = PublicationStatus.PUBLISHED


class WritingVersionFactory(factory.django.DjangoModelFactory):
    """A published original in Persian by default; pass language and translator for a
    translation."""

    class Meta:
        model = WritingVersion

    writing = factory.SubFactory(WritingFactory)
    language = "fa"
    is_original = True
    title = factory.Sequence(lambda n: f"شعر {n}")
    text = "پنجره‌ای رو به دریا ندارم،\nاما هر صبح\n\nپرنده‌ای غریبه"
    status = PublicationStatus.PUBLISHED


def writing_with_translation(**writing_fields) -> Writing:
    """A writing with a Persian original and its English translation."""
    writing = WritingFactory(**writing_fields)
    WritingVersionFactory(writing=writing, title="پنجره")
    WritingVersionFactory(
        writing=writing,
        language="en",
        is_original=False,
        title="Window",
        text="I have no window facing the sea,\nbut every morning\n\na stranger bird",
        translator="Sam Example",
        bridge_translator="Roya Example",
    )
    return writing
