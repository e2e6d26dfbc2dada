import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from programme.models import HomePage, Strand, Writer
from tests.programme.factories import StrandFactory, WriterFactory

pytestmark = pytest.mark.django_db


def test_published_honours_status_and_publish_from_to_the_minute():
    now = timezone.now()
    live = StrandFactory(slug="live")
    StrandFactory(slug="draft", status="draft")
    StrandFactory(slug="soon", publish_from=now + datetime.timedelta(minutes=1))
    StrandFactory(slug="just-now", publish_from=now)
    assert set(Strand.objects.published(now=now).values_list("slug", flat=True)) == {
        live.slug,
        "just-now",
    }
    later = now + datetime.timedelta(minutes=1)
    assert "soon" in Strand.objects.published(now=later).values_list("slug", flat=True)


def test_formatted_text_is_sanitised_when_saved():
    strand = StrandFactory(
        body='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x()">x</a>'
        '<span style="color:red">y</span><a href="https://icorn.org">ICORN</a></p>'
    )
    strand.refresh_from_db()
    assert "script" not in strand.body
    assert "onclick" not in strand.body
    assert "javascript:" not in strand.body
    assert "style=" not in strand.body
    assert '<a href="https://icorn.org" rel="noopener noreferrer">ICORN</a>' in strand.body


def test_writers_need_consent_and_visibility_to_be_seen():
    public = WriterFactory()
    unlisted = WriterFactory(visibility="unlisted")
    hidden = WriterFactory(visibility="hidden")
    no_consent = WriterFactory(consent_recorded_on=None)
    withdrawn = WriterFactory(consent_withdrawn_on=datetime.date(2025, 1, 1))

    assert list(Writer.objects.listed()) == [public]
    assert set(Writer.objects.reachable()) == {public, unlisted}
    for writer in (hidden, no_consent, withdrawn):
        assert writer not in Writer.objects.reachable()


def test_current_writers_are_those_in_residence_today():
    today = datetime.date(2026, 6, 1)
    current = WriterFactory(residency_start=datetime.date(2026, 1, 1), residency_end=None)
    ends_today = WriterFactory(residency_start=datetime.date(2025, 1, 1), residency_end=today)
    WriterFactory(
        residency_start=datetime.date(2020, 1, 1), residency_end=datetime.date(2021, 1, 1)
    )
    WriterFactory(residency_start=datetime.date(2026, 6, 2))
    assert set(Writer.objects.current(today=today)) == {current, ends_today}


def test_a_residency_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        WriterFactory(
            residency_start=datetime.date(2026, 1, 1), residency_end=datetime.date(2025, 1, 1)
        )


def test_names_and_slugs_in_any_script():
    writer = WriterFactory(name="焦国标", slug="焦国标")
    assert writer.get_absolute_url() == "/writers/%E7%84%A6%E5%9B%BD%E6%A0%87/"
    arabic = WriterFactory(name="نجيب", slug="نجيب")
    assert Writer.objects.get(slug="نجيب") == arabic


def test_the_country_is_withheld_unless_staff_choose_to_show_it():
    writer = WriterFactory(country_of_origin="Freedonia", show_country=False)
    assert writer.public_country == ""
    writer.show_country = True
    assert writer.public_country == "Freedonia"


def test_there_is_only_ever_one_home_page():
    HomePage.objects.create(heading="A", introduction="<p>a</p>", volunteer_heading="v",
                            volunteer_text="t")  # fmt: skip
    with pytest.raises(IntegrityError):
        HomePage.objects.create(heading="B", introduction="<p>b</p>", volunteer_heading="v",
                                volunteer_text="t")  # fmt: skip


def test_the_published_strands_names_read_once_compiled_are_the_querysets_own(
    django_assert_num_queries,
):
    """``Strand.published_names()`` (compiled once per process) gives what
    ``Strand.objects.published().names()`` gives, at each moment it is asked."""
    from django.utils import translation

    soon = timezone.now() + datetime.timedelta(hours=1)
    StrandFactory(slug="b-second", order=2, title="Second", title_ar="الثاني")
    StrandFactory(slug="a-first", order=1, title="First")
    StrandFactory(slug="draft", status="draft")
    StrandFactory(slug="scheduled", order=3, publish_from=soon)

    def seen(names):
        return [(n.pk, n.slug, n.order, n.title, n.get_absolute_url()) for n in names]

    with django_assert_num_queries(1):
        names = Strand.published_names()
    assert [n.slug for n in names] == ["a-first", "b-second"]
    assert seen(names) == seen(Strand.objects.published().names())
    later = soon + datetime.timedelta(minutes=1)
    assert [n.slug for n in Strand.published_names(now=later)] == [
        "a-first",
        "b-second",
        "scheduled",
    ]
    with translation.override("ar"):
        assert [n.title for n in Strand.published_names()] == ["First", "الثاني"]
