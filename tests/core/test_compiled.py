"""A query compiled once (core.compiled) reads what its queryset reads, with each run's
values in place of the marks."""

import datetime

import pytest
from django.utils import timezone

from core.compiled import CompiledQuery
from programme.models import Strand
from tests.programme.factories import StrandFactory

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
