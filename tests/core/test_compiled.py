"""A query compiled once (core.compiled) reads what its queryset reads, with each run's
values in place of the marks, shape by shape."""

import datetime
import threading

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.compiled import CompiledQueries, CompiledQuery
from events.models import Occurrence
from programme.models import Strand
from tests.events.factories import EventFactory, soon
from tests.programme.factories import ProjectFactory, StrandFactory

pytestmark = pytest.mark.django_db

MARK = datetime.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=datetime.UTC)


def test_each_run_reads_what_the_queryset_reads_with_its_own_values(
    django_assert_num_queries,
):
    StrandFactory(slug="soon", publish_from=timezone.now() + datetime.timedelta(hours=1))
    StrandFactory(slug="now")
    query = CompiledQuery(
        lambda now: Strand.objects.published(now=now).order_by("slug").values_list("slug"),
        now=MARK,
    )
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_assert_num_queries(1):
        assert query.rows(now=timezone.now()) == [("now",)]
    assert query.rows(now=later) == [("now",), ("soon",)]
    assert [row[0] for row in query.rows(now=later)] == list(
        Strand.objects.published(now=later).order_by("slug").values_list("slug", flat=True)
    )


def test_a_mark_the_query_does_not_carry_is_an_error_not_a_silent_constant():
    query = CompiledQuery(lambda now: Strand.objects.values_list("slug"), now=MARK)
    with pytest.raises(ValueError, match="a mark is not among the query's parameters"):
        query.rows(now=timezone.now())


# CompiledQueries: one build per shape, each run with its own values, read as Django reads.


def _strands_published_since(*, now, slug=None, since=None, ordered=True):
    strands = Strand.objects.published(now=now).prefetch_related("projects")
    if slug is not None:
        strands = strands.filter(slug=slug)
    if since is not None:
        strands = strands.filter(created_at__date__gte=since)
    return strands.order_by("order", "slug") if ordered else strands


def test_each_shape_is_built_once_and_each_run_reads_its_own_values(django_assert_num_queries):
    built = []

    def build(**values):
        built.append(values)
        return _strands_published_since(**values)

    first, second = StrandFactory(slug="first", order=1), StrandFactory(slug="second", order=2)
    ProjectFactory(strand=first, slug="a-project")
    later = timezone.now() + datetime.timedelta(hours=2)
    StrandFactory(slug="later", order=3, publish_from=later - datetime.timedelta(hours=1))
    strands = CompiledQueries(build)
    now = timezone.now()
    assert [s.slug for s in strands(now=now)] == ["first", "second"]
    assert [s.slug for s in strands(now=later)] == ["first", "second", "later"]
    assert [s.slug for s in strands(now=now, slug="second")] == ["second"]
    assert [s.slug for s in strands(now=now, slug="first")] == ["first"]
    assert len(built) == 2  # two shapes: with and without a slug
    assert built[1]["slug"] != "second"  # a mark, never the first run's value
    # Models as the queryset makes them, its prefetches too, in one query each.
    with django_assert_num_queries(2):
        (strand,) = strands(now=now, slug="first")
        assert [p.slug for p in strand.projects.all()] == ["a-project"]
    assert isinstance(strand, Strand)
    assert strand.pk == first.pk
    assert strand.title == first.title
    assert list(strands(now=now, slug="nothing")) == []
    assert second.pk in [s.pk for s in strands(now=now)]


def test_a_run_is_read_when_needed_and_counts_and_pages_as_the_queryset(
    django_assert_num_queries,
):
    for n in range(7):
        StrandFactory(slug=f"strand-{n:02}", order=n)
    strands = CompiledQueries(_strands_published_since)
    queryset = _strands_published_since(now=timezone.now())
    with django_assert_num_queries(0):
        run = strands(now=timezone.now())
        page = run[2:5]
    assert queryset.count() == 7
    with django_assert_num_queries(1):
        assert run.count() == 7
    expected = [s.slug for s in queryset[2:5]]
    with django_assert_num_queries(2):  # the page, and its projects
        assert [s.slug for s in page] == expected
        assert len(page) == 3
        assert page
    paginator = Paginator(strands(now=timezone.now()), 3)
    assert paginator.count == 7
    assert paginator.num_pages == 3
    assert [s.slug for s in paginator.page(3).object_list] == ["strand-06"]
    assert [s.slug for s in paginator.page(2)] == ["strand-03", "strand-04", "strand-05"]


def _as_read(row) -> dict:
    return {
        name: _as_read(value) if hasattr(value, "__dict__") else value
        for name, value in vars(row).items()
    }


def test_values_and_made_rows_are_converted_as_the_queryset_converts_them():
    EventFactory(
        title="Off today",
        start=soon(3),
        rrule="FREQ=DAILY;COUNT=2",
        cancelled_dates=[soon(3).date()],
        cancelled_reasons={soon(3).date().isoformat(): "Snow"},
    )
    dates = CompiledQueries(
        lambda *, now: Occurrence.objects.published(now=now).upcoming(now=now).for_cards()
    )
    now = timezone.now()
    compiled = list(dates(now=now))
    made = list(Occurrence.objects.published(now=now).upcoming(now=now).for_cards())
    assert [_as_read(card) for card in compiled] == [_as_read(card) for card in made]
    assert compiled[0].cancellation_note == "Snow"  # a JSON column, decoded


def test_a_value_the_query_does_not_carry_as_it_is_given_is_an_error():
    titles = CompiledQueries(
        lambda *, now, text: Strand.objects.published(now=now).filter(title__icontains=text)
    )
    with pytest.raises(ValueError, match="a mark is not among the query's parameters: text"):
        list(titles(now=timezone.now(), text="poetry"))
    with pytest.raises(TypeError, match="takes times, dates, keys and strings"):
        list(CompiledQueries(_strands_published_since)(now=timezone.now(), slug=1.5))


def test_a_filter_nothing_meets_reads_nothing(django_assert_num_queries):
    StrandFactory()
    nothing = CompiledQueries(lambda *, now: Strand.objects.published(now=now).filter(pk__in=[]))
    with django_assert_num_queries(0):
        assert list(nothing(now=timezone.now())) == []
        assert nothing(now=timezone.now()).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_in_another_thread_uses_that_thread_s_connection():
    StrandFactory(slug="seen")
    strands = CompiledQueries(_strands_published_since)
    assert [s.slug for s in strands(now=timezone.now())] == ["seen"]  # compiled here
    answers = {}

    def elsewhere():
        try:
            with CaptureQueriesContext(connection) as captured:
                answers["slugs"] = [s.slug for s in strands(now=timezone.now())]
            answers["queries"] = len(captured)
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert answers == {"slugs": ["seen"], "queries": 2}  # its strands and their projects


def test_a_slice_counts_its_rows_and_the_queryset_built_is_never_sliced():
    for n in range(5):
        StrandFactory(slug=f"strand-{n}", order=n)
    strands = CompiledQueries(_strands_published_since)
    assert strands(now=timezone.now())[1:3].count() == 2
    assert strands(now=timezone.now())[4:].count() == 1
    sliced = CompiledQueries(lambda *, now: Strand.objects.published(now=now)[:2])
    with pytest.raises(ValueError, match="slice the run"):
        list(sliced(now=timezone.now()))
