"""The query budget: every public page makes at most 8 queries, the same number at any size."""

import pytest

from tests.perf.pages import grow, public_paths

BUDGET = 8


def query_counts(client, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for path in public_paths():
        with django_assert_max_num_queries(BUDGET, info=path) as queries:
            response = client.get(path)
        assert response.status_code == 200, path
        assert response.content, path
        counts[path] = len(queries.captured_queries)
    return counts


def test_every_public_page_keeps_its_query_budget_at_two_sizes(
    client, demo_content, django_assert_max_num_queries
):
    grow(3)
    small = query_counts(client, django_assert_max_num_queries)
    grow(40)
    large = query_counts(client, django_assert_max_num_queries)
    assert large == small


@pytest.mark.usefixtures("page_cache")
def test_a_cached_page_costs_no_query(client, demo_content, django_assert_num_queries):
    grow(3)
    for path in public_paths():
        if path.startswith("/volunteer/apply/"):
            continue  # a form: never cached
        client.get(path)
        with django_assert_num_queries(0, info=path):
            response = client.get(path)
        assert response.status_code == 200, path
