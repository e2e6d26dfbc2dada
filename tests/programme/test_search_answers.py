"""Search that answers (issue 14): volunteering and supporters are found, results are
counted and filtered by kind, events show their next date, snippets are cut cleanly,
and a fruitless search gets a prefix search, a spelling and doors to the programme."""

import datetime
import re
import secrets

import pytest
from django.core.cache import caches
from django.utils import timezone, translation

from core import search as site_search
from core.search import MAX_QUERY_LENGTH, levenshtein, search, suggest
from events.models import Event
from tests.events.factories import EventFactory, soon
from tests.programme.factories import (
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
    WriterFactory,
)
from tests.volunteers.factories import VolunteerRoleFactory

pytestmark = pytest.mark.django_db


def results(query, **kwargs):
    return search(query, **kwargs).page.object_list


def html(client, path="/search/", **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


# ---------------------------------------------------------------- volunteering


def test_volunteer_finds_the_volunteer_page_and_each_current_role(client, db):
    steward = VolunteerRoleFactory(title="Event steward", slug="event-steward")
    VolunteerRoleFactory(title="Retired role", slug="retired", is_active=False)
    found = results("volunteer")
    urls = [result.url for result in found]
    assert urls[0] == "/volunteer/"  # the page's own title outranks the roles
    assert f"/volunteer/apply/?role={steward.slug}" in urls
    assert not any("retired" in url for url in urls)
    content = html(client, q="volunteer")
    assert 'href="/volunteer/apply/?role=event-steward"' in content
    assert "Volunteering (2)" in content  # the page and the one current role


def test_a_role_is_found_by_its_description_and_its_strand(db):
    VolunteerRoleFactory(
        title="Bookbinder",
        slug="bookbinder",
        description="Mend the library's donated books.",
        strand=StrandFactory(title="Lighthouse strand"),
    )
    assert [r.title for r in results("donated books")] == ["Bookbinder"]
    assert "Bookbinder" in [r.title for r in results("lighthouse")]


def test_published_supporters_are_found_and_drafts_are_not(db):
    PartnerFactory(name="Harbourlight Trust", description="Funds young poets.")
    PartnerFactory(name="Harbourlight Draft", status="draft")
    found = results("harbourlight")
    assert [(r.title, r.kind, r.url) for r in found] == [
        ("Harbourlight Trust", "Supporter", "/supporters/")
    ]
    assert "<mark>poets</mark>" in str(results("poets")[0].excerpt)


# ---------------------------------------------------------------- kinds and counts


def test_results_are_counted_by_kind_and_filtered_keeping_the_query(client, db):
    EventFactory(title="Orchard reading")
    EventFactory(title="Orchard workshop")
    WriterFactory(name="Orchard Poet")
    VolunteerRoleFactory(title="Orchard keeper")
    content = html(client, q="orchard")
    labels = re.findall(r'class="search-kinds__link"[^>]*>([^<]+)<', content)
    assert labels == ["All (4)", "Writers (1)", "Events (2)", "Volunteering (1)"]
    assert 'href="/search/?q=orchard&amp;kind=event"' in content

    events_only = html(client, q="orchard", kind="event")
    assert events_only.count('class="search-result"') == 2
    assert "Orchard Poet" not in events_only
    assert re.search(r'kind=event" aria-current="page">Events \(2\)', events_only)
    assert "4 results" in events_only  # the counts still cover every kind

    unknown = html(client, q="orchard", kind="<script>")
    assert unknown.count('class="search-result"') == 4
    assert "<script>" not in unknown.split("<main", 1)[1]


def test_a_kind_with_no_result_says_so_and_links_to_all(client, db):
    EventFactory(title="Quayside reading")
    content = html(client, q="quayside", kind="writer")
    assert "None of the results are of this kind" in content
    assert 'href="/search/?q=quayside"' in content


# ---------------------------------------------------------------- events' next dates


def test_an_event_shows_its_next_date_that_is_not_cancelled(client, db):
    start = soon(days=-13, hour=18)
    event = EventFactory(
        title="Weekly lantern workshop",
        start=start,
        end=start + datetime.timedelta(hours=1),
        rrule="FREQ=WEEKLY;COUNT=5",
    )
    found = results("lantern")
    expected = start + datetime.timedelta(days=14)
    assert found[0].next_start == expected
    event.cancelled_dates = [timezone.localtime(expected).date()]
    event.cancellation_reasons = {timezone.localtime(expected).date().isoformat(): "Ill"}
    event.save()
    assert results("lantern")[0].next_start == start + datetime.timedelta(days=21)
    content = html(client, q="lantern")
    assert (
        f'datetime="{timezone.localtime(start + datetime.timedelta(days=21)).isoformat()}"'
        in content
    )
    assert "next on" in content


def test_a_past_event_shows_no_next_date(client, db):
    start = soon(days=-30)
    EventFactory(title="Old lantern talk", start=start, end=start + datetime.timedelta(hours=1))
    assert results("lantern")[0].next_start is None
    assert "next on" not in html(client, q="lantern")


# ---------------------------------------------------------------- snippets


def test_snippets_are_cut_at_words_with_ellipses_and_marks(db):
    words = " ".join(f"word{n}" for n in range(120))
    StrandFactory(
        title="Long strand",
        summary="",
        body=f"<p>{words} kingfisher {words}</p>",
    )
    excerpt = str(results("kingfisher")[0].excerpt)
    assert "<mark>kingfisher</mark>" in excerpt
    assert excerpt.startswith("… word")
    assert excerpt.endswith(" …")
    inner = excerpt.removeprefix("… ").removesuffix(" …")
    for token in inner.replace("<mark>", "").replace("</mark>", "").split():
        assert re.fullmatch(r"word\d+|kingfisher", token), token  # no word cut in half


def test_a_short_text_is_shown_whole_without_ellipses(db):
    StrandFactory(title="Short", summary="A heron by the river.", body="")
    excerpt = str(results("heron")[0].excerpt)
    assert "…" not in excerpt
    assert excerpt.startswith("A <mark>heron</mark>")


# ---------------------------------------------------------------- did you mean


def test_a_prefix_search_runs_before_giving_up(client, db):
    StrandFactory(title="Kaleidoscope stories")
    outcome = search("kaleido")
    assert outcome.prefix_words == "kaleido"
    assert [r.title for r in outcome.page.object_list] == ["Kaleidoscope stories"]
    assert "showing words that begin with it" in html(client, q="kaleido")


def test_a_misspelt_search_suggests_a_spelling_that_runs(client, db):
    StrandFactory(title="Canaries and strangers")
    content = html(client, q="canaires")
    assert "Nothing matched" in content
    assert 'Did you mean <a href="/search/?q=canaries">canaries</a>?' in content
    assert "Canaries and strangers" in html(client, q="canaries")


def test_suggestions_never_come_from_what_is_not_public(db):
    WriterFactory(name="Zephyrine Hidden", visibility="hidden")
    WriterFactory(name="Zephyrine Unlisted", visibility="unlisted")
    StrandFactory(title="Zephyrine draft", status="draft")
    assert suggest("zephyrin") == ""
    WriterFactory(name="Zephyrine Public")
    assert suggest("zephyrin") == "zephyrine"


def test_the_vocabulary_is_kept_per_content_generation(db, settings, django_assert_num_queries):
    settings.FRAGMENT_CACHE_SECONDS = 60
    caches["fragments"].clear()
    StrandFactory(title="Marigold")
    with django_assert_num_queries(1):
        assert suggest("marigld", generation="g1") == "marigold"
    with django_assert_num_queries(0):
        assert suggest("marigols", generation="g1") == "marigold"
    with django_assert_num_queries(1):
        suggest("marigld", generation="g2")


def test_levenshtein_stops_early_past_its_limit():
    assert levenshtein("kitten", "sitting", limit=3) == 3
    assert levenshtein("kitten", "sitting", limit=1) == 2
    assert levenshtein("a", "abcdef", limit=2) == 3


def test_the_empty_state_offers_the_programmes_main_doors(client, db):
    content = html(client, q=secrets.token_hex(6))
    for href in ('href="/events/"', 'href="/writers/"', 'href="/programme/"', 'href="/volunteer/"'):
        assert href in content.split('class="search-help"', 1)[1]


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    "query",
    [
        "&",
        "|",
        "!",
        ":*",
        "a & b | !c",
        "volunteer:*",
        "'\"'\"",
        '"unclosed',
        "<->",
        "nul\x00byte",
        "x" * 10_000,
        "word " * 2_000,
        "متطوع",
        "تطوّع معنا & |",
        "%_\\",
        "(((",
    ],
)
def test_hostile_queries_never_cause_an_error(client, demo_content, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Search</h1>" in content
    value = re.search(r'id="search-q" name="q" value="([^"]*)"', content).group(1)
    assert len(value) <= MAX_QUERY_LENGTH * 6  # escaped, and bounded


def test_a_long_query_is_cut_and_the_visitor_told(client, db):
    content = html(client, q="river " * 100)
    assert "Searches are limited to 200 characters" in content
    assert 'aria-describedby="search-q-cut"' in content


# ---------------------------------------------------------------- languages


def test_arabic_pages_mark_english_titles_and_not_translated_ones(client, db):
    StrandFactory(title="Nightingale strand", title_ar="عندليب", slug="nightingale")
    VolunteerRoleFactory(title="Nightingale helper")
    content = html(client, "/ar/search/", q="nightingale")
    assert re.search(r'<a href="/ar/programme/nightingale/" dir="auto">عندليب</a>', content)
    assert re.search(r'lang="en" dir="ltr">Nightingale helper</a>', content)


def test_english_pages_mark_nothing(client, db):
    VolunteerRoleFactory(title="Nightingale helper")
    assert 'lang="en"' not in html(client, q="nightingale").split("<main", 1)[1]


def test_the_volunteer_page_is_found_in_arabic_and_shown_in_arabic(db):
    with translation.override("ar"):
        found = results("volunteer")
        assert found[0].url == "/ar/volunteer/"
        assert found[0].in_english is False


# ---------------------------------------------------------------- queries


def grow(size):
    for number in range(size):
        StrandFactory(title=f"Willow strand {number}")
        ProjectFactory(title=f"Willow project {number}")
        EventFactory(title=f"Willow event {number}", start=soon(days=number + 1))
        VolunteerRoleFactory(title=f"Willow role {number}")
        PartnerFactory(name=f"Willow partner {number}")


@pytest.mark.parametrize("query", ["willow", "willo", "wilow"])
def test_a_search_makes_the_same_few_queries_at_any_size(
    client, db, django_assert_max_num_queries, query
):
    grow(2)
    with django_assert_max_num_queries(8) as small:
        client.get("/search/", {"q": query})
    grow(30)
    with django_assert_max_num_queries(8) as large:
        response = client.get("/search/", {"q": query, "kind": "event"})
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.status_code == 200


def test_a_search_that_finds_something_is_two_queries(db, django_assert_num_queries):
    """The counts and the page in one query (the UNION evaluated once), then the page's
    titles and excerpts."""
    grow(3)
    with django_assert_num_queries(2):
        outcome = search("willow")
        assert len(outcome.page.object_list) == 10
        assert {count.label for count in outcome.counts} >= {"Events", "Volunteering"}


@pytest.mark.parametrize("kind", ["", "event"])
def test_a_later_page_is_read_with_the_counts_and_is_the_same_page(
    db, django_assert_num_queries, monkeypatch, kind
):
    grow(8)  # eight of each kind: a second page of four of any
    with django_assert_num_queries(2):
        outcome = search("willow", page_number=2, per_page=4, kind=kind)
    assert outcome.page.number == 2
    with_counts = [result.title for result in outcome.page.object_list]
    assert len(set(with_counts)) == 4
    # The same page read apart from the counts, as a page past the last is.
    monkeypatch.setattr(site_search.Matches, "counts_and_page", lambda self, *page: self.counts())
    apart = search("willow", page_number=2, per_page=4, kind=kind)
    assert [result.title for result in apart.page.object_list] == with_counts
    assert apart.counts == outcome.counts


def test_a_page_past_the_last_is_the_last_page(db, django_assert_num_queries):
    grow(3)
    total = search("willow").total
    with django_assert_num_queries(3):  # the page asked for was empty: the last, read again
        outcome = search("willow", page_number=999, per_page=4)
    assert outcome.page.number == outcome.paginator.num_pages
    assert len(outcome.page.object_list) == total - 4 * (outcome.paginator.num_pages - 1)


@pytest.mark.parametrize("number", ["0", "-3", "abc", "9" * 30, None, ""])
def test_any_page_number_is_answered(db, number):
    grow(1)
    outcome = search("willow", page_number=number, per_page=4)
    assert outcome.page.object_list


def test_every_search_kind_is_registered_once():
    kinds = [searchable.kind for searchable in site_search.SEARCHABLES]
    assert len(kinds) == len(set(kinds))
    assert {"volunteer-page", "volunteer-role", "supporter", "event"} <= set(kinds)


def test_events_found_are_public_only(db):
    EventFactory(title="Moonrise draft", status="draft")
    EventFactory(title="Moonrise reading")
    assert [r.title for r in results("moonrise")] == ["Moonrise reading"]
    assert Event.objects.count() == 2


# ---------------------------------------------------------------- valid HTML


@pytest.mark.html  # starts Java (the Nu Html Checker)
def test_search_pages_are_valid_html(client, demo_content, tmp_path):
    from tests.html_validator import html_errors

    urls = [
        "/search/?q=volunteer",
        "/search/?q=volunteer&kind=volunteering",
        "/search/?q=volunter",
        "/search/?q=kaleido",
        "/search/?q=shahrazad",
        "/ar/search/?q=volunteer",
        "/fa/search/?q=zzzz",
    ]
    pages = {url: client.get(url).content.decode() for url in urls}
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_random_text_in_many_scripts_never_breaks_a_search(db):
    """Seeded, so a failure names its text: punctuation, symbols, Arabic, CJK, emoji."""
    import random

    StrandFactory(title="Volunteer strand")
    rng = random.Random(14)  # noqa: S311 (test data, not secrets)
    pools = [
        range(0x20, 0x7F),
        range(0xA0, 0x2000),
        range(0x600, 0x700),
        range(0x2000, 0x3000),
        range(0x1F300, 0x1F700),
        range(0x4E00, 0x4F00),
    ]
    for _ in range(60):
        pool = rng.choice(pools)
        text = "".join(chr(rng.choice(pool)) for _ in range(rng.randint(1, 30)))
        try:
            search(text)
        except Exception as error:  # reported with the text that broke it
            raise AssertionError(repr(text)) from error


def test_a_scheduled_event_is_found_once_its_time_has_come(db, monkeypatch):
    """The search's UNION is compiled once a minute (core.search.COMPILED_FOR_SECONDS),
    with the time in it: what is published later is found within that minute."""
    import time

    later = timezone.now() + datetime.timedelta(hours=1)
    EventFactory(title="Midsummer canaries", publish_from=later)
    EventFactory(title="Winter canaries")
    assert [r.title for r in search("canaries").page] == ["Winter canaries"]
    assert search("midsummer").total == 0
    moved = later + datetime.timedelta(seconds=site_search.COMPILED_FOR_SECONDS)
    monkeypatch.setattr(timezone, "now", lambda: moved)
    monkeypatch.setattr(time, "time", moved.timestamp)
    assert {r.title for r in search("canaries").page} == {"Winter canaries", "Midsummer canaries"}
    assert search("midsummer").total == 1


def test_the_compiled_union_is_per_language_and_never_holds_the_words(db):
    EventFactory(title="Canaries", title_ar="كناري")
    with translation.override("ar"):
        assert [r.title for r in search("canaries").page] == ["كناري"]
    assert [r.title for r in search("canaries").page] == ["Canaries"]
    matches = site_search.Matches("o'brien canaries", search_type="websearch")
    assert "brien" not in matches.sql
    assert "o'brien canaries" in matches.params
