"""Site search: PostgreSQL full-text search across the portal's public content.

Each app registers what it makes searchable (programme: strands, projects,
public writers, pages; events: published or cancelled events) in its
AppConfig.ready(), so this module knows none of them.

Each searchable model has a stored, GIN-indexed ``search_vector``. A search is
three queries whatever the amount of content: a count and a page of
(kind, id, rank) over a UNION of every model's public rows, then the page's
titles and highlighted excerpts (``ts_headline`` only runs on those rows).
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db.models import CharField, F, Func, QuerySet, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
START, STOP = "\x02", "\x03"  # sentinels around matches, replaced by <mark> after escaping


class StripTags(Func):
    """Formatted text without its tags, so excerpts never cut an element in half.

    Block-level tags become spaces (paragraphs stay apart); inline ones vanish
    (so "<em>Shahrazad</em>," stays one word and its comma).
    """

    function = "regexp_replace"
    template = (
        "regexp_replace(regexp_replace(%(expressions)s, "
        "'</?(p|h[1-6]|li|ul|ol|blockquote|br|hr)(\\s[^>]*)?/?>', ' ', 'gi'), '<[^>]+>', '', 'g')"
    )
    output_field = CharField()


@dataclass(frozen=True)
class Searchable:
    """One kind of public content the search covers, and how to show a hit."""

    kind: str
    label: str
    public: Callable[[], QuerySet]  # what the public may find, and nothing else
    title_field: str
    text_fields: tuple[str, ...]
    html_fields: tuple[str, ...]
    # Builds the hit's URL from its row (slug, parent_slug) without a query.
    url: Callable[[dict], str]
    parent_field: str = "slug"


# Filled by each app's AppConfig.ready() (register()), in INSTALLED_APPS order.
SEARCHABLES: list[Searchable] = []
SEARCHABLE_BY_KIND: dict[str, Searchable] = {}


def register(searchable: Searchable) -> None:
    """Add a kind of public content to the site search (from an app's ready())."""
    if searchable.kind not in SEARCHABLE_BY_KIND:
        SEARCHABLES.append(searchable)
        SEARCHABLE_BY_KIND[searchable.kind] = searchable


@dataclass
class SearchResult:
    kind: str
    title: str
    url: str
    excerpt: SafeString


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def clean_query(raw: str | None) -> str:
    """What we search for: no control characters (PostgreSQL refuses NUL), one line."""
    text = CONTROL_CHARACTERS.sub(" ", raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _columns(queryset: QuerySet, *names: str) -> QuerySet:
    """``values(*names)`` in exactly that order, as a UNION needs. A translated model's
    queryset (modeltranslation) reorders ``values()`` and resolves fallbacks in Python;
    its ``raw_values()`` is Django's own (the searchables give translated text already
    resolved: programme/search.py)."""
    return getattr(queryset, "raw_values", queryset.values)(*names)


def _ranked(query: SearchQuery):
    parts = [
        searchable.public()
        .filter(search_vector=query)
        .annotate(kind=Value(searchable.kind, output_field=CharField()))
        .annotate(rank=SearchRank(F("search_vector"), query))
        for searchable in SEARCHABLES
    ]
    parts = [_columns(part, "kind", "id", "rank").order_by() for part in parts]
    return parts[0].union(*parts[1:], all=True).order_by("-rank", "kind", "id")


def _excerpt_source(searchable: Searchable):
    pieces = [F(field) for field in searchable.text_fields]
    pieces += [StripTags(F(field)) for field in searchable.html_fields]
    joined = []
    for piece in pieces:
        joined += [piece, Value(" ")]
    return Concat(*joined, output_field=CharField())


def _details(rows, query: SearchQuery) -> dict[tuple[str, int], dict]:
    """Titles, URL parts and excerpts for one page of results, in a single query."""
    wanted = {}
    for row in rows:
        wanted.setdefault(row["kind"], []).append(row["id"])
    parts = []
    for searchable in SEARCHABLES:
        if searchable.kind not in wanted:
            continue
        parts.append(
            _columns(
                searchable.public()
                .filter(pk__in=wanted[searchable.kind])
                .annotate(
                    kind=Value(searchable.kind, output_field=CharField()),
                    result_title=F(searchable.title_field),
                    parent_slug=F(searchable.parent_field),
                    excerpt=SearchHeadline(
                        _excerpt_source(searchable),
                        query,
                        config="english",
                        start_sel=START,
                        stop_sel=STOP,
                        max_words=35,
                        min_words=15,
                        max_fragments=2,
                        fragment_delimiter=" … ",
                    ),
                ),
                "kind",
                "id",
                "result_title",
                "slug",
                "parent_slug",
                "excerpt",
            ).order_by()
        )
    if not parts:
        return {}
    union = parts[0].union(*parts[1:], all=True).order_by("kind", "id")
    return {(row["kind"], row["id"]): row for row in union}


def _highlight(excerpt: str) -> SafeString:
    # Formatted text keeps its entities (&amp;) once tags are stripped: decode, then
    # escape everything, then turn our sentinels into <mark>.
    text = escape(" ".join(html.unescape(excerpt or "").split()))
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def search(raw_query: str, *, page_number=1, per_page: int = 10):
    """Return (page of SearchResult, paginator) for a visitor's query."""
    query = SearchQuery(clean_query(raw_query), config="english", search_type="websearch")
    paginator = Paginator(_ranked(query), per_page)
    page = paginator.get_page(page_number)
    details = _details(list(page.object_list), query)
    page.object_list = [
        SearchResult(
            kind=SEARCHABLE_BY_KIND[row["kind"]].label,
            title=details[key]["result_title"],
            url=SEARCHABLE_BY_KIND[row["kind"]].url(details[key]),
            excerpt=_highlight(details[key]["excerpt"]),
        )
        for row in page.object_list
        if (key := (row["kind"], row["id"])) in details
    ]
    return page, paginator
