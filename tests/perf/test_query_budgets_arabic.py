"""The query budget in Arabic and Persian: translated content (a column per language,
issue 16 layer 3) costs no query more, at any size."""

import pytest
from django.utils import translation

from tests.perf.pages import grow, public_paths
from tests.perf.test_query_budgets import BUDGET

ENGLISH_ONLY = {"/sitemap.xml", "/robots.txt"}


def paths_in(language: str) -> list[str]:
    with translation.override("en-gb"):  # the English addresses, whatever a request left
        paths = public_paths()
    return [f"/{language}{path}" for path in paths if path not in ENGLISH_ONLY]


def query_counts(client, django_assert_max_num_queries, language: str) -> dict[str, int]:
    counts = {}
    for path in paths_in(language):
        with django_assert_max_num_queries(BUDGET, info=path) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = len(queries.captured_queries)
    return counts


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_every_public_page_keeps_its_budget_in_a_right_to_left_language(
    client, demo_content, django_assert_max_num_queries, language
):
    grow(3)
    small = query_counts(client, django_assert_max_num_queries, language)
    grow(40)
    large = query_counts(client, django_assert_max_num_queries, language)
    assert large == small


def test_arabic_pages_cost_what_english_ones_do(
    client, demo_content, django_assert_max_num_queries
):
    from tests.perf.test_query_budgets import query_counts as english_counts

    grow(3)
    english = english_counts(client, django_assert_max_num_queries)
    arabic = query_counts(client, django_assert_max_num_queries, "ar")
    assert {path.removeprefix("/ar"): count for path, count in arabic.items()} == {
        path: count for path, count in english.items() if path not in ENGLISH_ONLY
    }
