"""Site search: PostgreSQL full text, public content only, helpful when empty."""

import pytest

from core.search import search
from tests.programme.factories import PageFactory, ProjectFactory, StrandFactory, WriterFactory

pytestmark = pytest.mark.django_db


def titles(query):
    page, _paginator = search(query)
    return [result.title for result in page.object_list]


def test_search_stems_english_and_ranks_titles_first(demo_content):
    results = titles("competitions")
    assert results[0] == "Competitions"
    # "refugees" finds "refugee" (English stemming).
    assert "Letters to Europe" in titles("refugees")


def test_search_covers_strands_projects_writers_and_pages(demo_content):
    assert "Shahrazad" in titles("Stockholm Barcelona")
    assert "Strangers and Canaries" in titles("canaries")
    assert "Jiao Guobiao" in titles("Jiao")
    assert "Background to Norwich, City of Refuge" in titles("Derrida")


def test_excerpts_highlight_matches_and_escape_everything_else(db):
    StrandFactory(
        title="Tea and talk",
        body="<p>Poetry &amp; tea &lt;script&gt;alert(1)&lt;/script&gt; with <em>friends</em>.</p>",
    )
    page, _ = search("poetry")
    excerpt = str(page.object_list[0].excerpt)
    assert "<mark>Poetry</mark>" in excerpt
    assert "&amp; tea" in excerpt
    assert "<script>" not in excerpt
    assert "&lt;script&gt;" in excerpt
    assert "<em>" not in excerpt  # tags are stripped from excerpts


def test_search_never_finds_what_is_not_public(db):
    StrandFactory(title="Draft strand about lighthouses", status="draft")
    ProjectFactory(title="Draft project about lighthouses", status="draft")
    ProjectFactory(
        title="Project in a draft strand about lighthouses",
        strand=StrandFactory(status="draft"),
    )
    PageFactory(title="Draft page about lighthouses", status="draft")
    WriterFactory(name="Unlisted lighthouse keeper", visibility="unlisted")
    WriterFactory(name="Hidden lighthouse keeper", visibility="hidden")
    WriterFactory(name="Unconsented lighthouse keeper", consent_recorded_on=None)
    WriterFactory(name="Public lighthouse keeper")
    assert titles("lighthouse") == ["Public lighthouse keeper"]


def test_search_page_helps_with_an_empty_query(client, db):
    content = client.get("/search/").content.decode()
    assert "Try a writer’s name" in content
    assert 'name="robots" content="noindex"' in content


@pytest.mark.parametrize(
    "query", ["the", "!!!", "'\"&|<>", "a" * 5000, "中文 عربى", "x:*", "nul\x00byte", "\x1b[31m"]
)
def test_nonsense_queries_get_a_friendly_page_never_an_error(client, demo_content, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "Nothing matched" in response.content.decode()


def test_results_are_paginated_and_bad_page_numbers_fall_back(client, db):
    for number in range(14):
        StrandFactory(title=f"Harbour story {number}")
    first = client.get("/search/", {"q": "harbour"}).content.decode()
    assert "14 results" in first
    assert "Page 1 of 2" in first
    second = client.get("/search/", {"q": "harbour", "page": "2"}).content.decode()
    assert second.count('class="search-result"') == 4
    assert "Page 1 of 2" in client.get("/search/", {"q": "harbour", "page": "abc"}).content.decode()
    assert "Page 2 of 2" in client.get("/search/", {"q": "harbour", "page": "99"}).content.decode()


def test_search_query_count_is_flat(client, db, django_assert_max_num_queries):
    StrandFactory(title="River writing")
    with django_assert_max_num_queries(5):
        client.get("/search/", {"q": "river"})
    for number in range(30):
        StrandFactory(title=f"River {number}")
        ProjectFactory(title=f"River project {number}")
        WriterFactory(name=f"River writer {number}")
    with django_assert_max_num_queries(5):
        response = client.get("/search/", {"q": "river"})
    assert response.content.decode().count('class="search-result"') == 10


def test_chinese_and_arabic_names_are_found(db):
    WriterFactory(name="焦国标", slug="焦国标")
    WriterFactory(name="نجيب محفوظ", slug="najib")
    assert titles("焦国标") == ["焦国标"]
    assert titles("محفوظ") == ["نجيب محفوظ"]
