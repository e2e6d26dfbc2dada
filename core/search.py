"""Site search: PostgreSQL full-text search across the portal's public content.

Each app registers what it makes searchable (programme: strands, projects, public
writers, writings, pages, supporters; events: published or cancelled events;
volunteers: the volunteer page and its current roles) in its AppConfig.ready(), so this
module knows none of them.

Most searchable models have a stored, GIN-indexed ``search_vector``; a few small ones
(volunteer roles, supporters, the volunteer page) compute theirs in the query
(volunteers/search.py says why). A search is two queries whatever the amount of
content:

1. how many public rows of each kind match (a GROUP BY over a UNION of every kind),
   and the page asked for as (kind, id, rank), best first, among the kinds asked for
   (``?kind=``): one query, the UNION evaluated once for both (a page past the last
   is asked for again, as the last);
2. the page's titles, highlighted excerpts (``ts_headline`` only runs on those rows),
   whether a title is shown in English for want of a translation, and each event's
   next date.

A search that finds nothing tries each word as a prefix (``volunt:*``), then suggests a
spelling from the public vocabulary (``ts_stat`` over the same UNION, kept per content
generation): at most three queries more, and only on that path.
"""

import functools
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast, Concat, Left, Right
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from modeltranslation.utils import get_language as translation_language

from core.caching.fragments import kept
from core.fields import TranslatedSearchVectorField
from core.sanitise import strip_bidi_controls
from core.translated import SOURCE_LANGUAGE

MAX_QUERY_LENGTH = 200
MAX_PAGE = 10_000  # any page number asked beyond it is past the last anyway
MAX_WORDS = 8  # words tried as prefixes or respelt; more is not a search, it is a text
START, STOP = "\x02", "\x03"  # sentinels around matches, replaced by <mark> after escaping
ELLIPSIS = "…"
SHORT_TEXT_WORDS = 40  # excerpts of texts this short show the whole text
EXCERPT_ENDS = 2000  # characters read from each end of a text, to tell where it was cut


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


def never():
    return Value(False, output_field=BooleanField())


def no_date():
    # Typed, so the UNION of many kinds' NULLs and the events' dates agree on a type.
    return Cast(Value(None), DateTimeField())


def title_falls_back(field_name: str):
    """True where the row's translated `field_name` has no text in the active language
    (the page shows the English): core/translated.py's rule, in the query."""
    language = translation_language()
    if language == SOURCE_LANGUAGE:
        return never()
    column = f"{field_name}_{language}"
    return ExpressionWrapper(
        Q(**{f"{column}__isnull": True}) | Q(**{column: ""}), output_field=BooleanField()
    )


def english_only():
    """For untranslated content: in English on every page but the English ones."""
    return Value(translation_language() != SOURCE_LANGUAGE, output_field=BooleanField())


def computed_vector(*weighted):
    """A search vector made in the query from (expression, weight) pairs, read as English
    and matched like a stored translated vector (core.fields.AnyConfigMatch).

    For small tables only (a few dozen rows): a stored vector needs a generated column
    and a GIN index, that is a migration, and buys nothing at that size; the search's
    query count is the same either way.
    """
    vectors = [
        SearchVector(expression, weight=weight, config="english") for expression, weight in weighted
    ]
    combined = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return ExpressionWrapper(combined, output_field=TranslatedSearchVectorField())


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
    # Results are counted and filtered (?kind=) by group: kinds shown together (the
    # volunteer page and its roles are "Volunteering"). Empty: the kind is its own group.
    group: str = ""
    group_label: str = ""  # the group's name over its count: "Events (3)"
    # Whether the title is shown in English on a page in another language (an expression).
    title_in_english: Callable[[], object] = never
    # The next date, for kinds that have dates (an expression; NULL for the others).
    next_start: Callable[[], object] = no_date

    @property
    def filter_kind(self) -> str:
        return self.group or self.kind


# Filled by each app's AppConfig.ready() (register()), in INSTALLED_APPS order.
SEARCHABLES: list[Searchable] = []
SEARCHABLE_BY_KIND: dict[str, Searchable] = {}


def register(searchable: Searchable) -> None:
    """Add a kind of public content to the site search (from an app's ready())."""
    if searchable.kind not in SEARCHABLE_BY_KIND:
        SEARCHABLES.append(searchable)
        SEARCHABLE_BY_KIND[searchable.kind] = searchable
        _compiled_union.cache_clear()  # a UNION compiled before would leave it out


def groups() -> dict[str, str]:
    """Each result group's ?kind= value and its label, in registration order."""
    found = {}
    for searchable in SEARCHABLES:
        found.setdefault(searchable.filter_kind, searchable.group_label or searchable.label)
    return found


@dataclass
class SearchResult:
    kind: str
    title: str
    url: str
    excerpt: SafeString
    in_english: bool = False  # shown in English on a page in another language
    next_start: object = None  # an event's next date (aware datetime), when it has one


@dataclass
class KindCount:
    kind: str  # the ?kind= value
    label: str
    count: int
    chosen: bool = False


@dataclass
class SearchOutcome:
    """What a search found, and what to offer when it found nothing."""

    page: object
    paginator: Paginator
    counts: list[KindCount] = field(default_factory=list)
    total: int = 0  # across every kind, whatever ?kind= chose
    kind: str = ""  # the group shown, when one was chosen
    prefix_words: str = ""  # set when only a prefix search found anything
    suggestion: str = ""  # "Did you mean…", when nothing was found at all

    def __iter__(self):
        """Unpacks as ``page, paginator``, as search() used to return."""
        return iter((self.page, self.paginator))


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
WORDS = re.compile(r"\w+")


def clean_query(raw: str | None) -> str:
    """What we search for: no control characters (PostgreSQL refuses NUL), one line, and
    no bidirectional overrides or isolates (echoed on the page, one would turn the rest of
    its sentence around: a made-up link could make the page say something else)."""
    text = CONTROL_CHARACTERS.sub(" ", strip_bidi_controls((raw or "")[: MAX_QUERY_LENGTH * 4]))
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def clean_kind(raw: str | None) -> str:
    """A known result group (``?kind=``), or "" for all of them."""
    return raw if raw in groups() else ""


def _columns(queryset: QuerySet, *names: str) -> QuerySet:
    """``values(*names)`` in exactly that order, as a UNION needs. A translated model's
    queryset (modeltranslation) reorders ``values()`` and resolves fallbacks in Python;
    its ``raw_values()`` is Django's own (the searchables give translated text already
    resolved: programme/search.py)."""
    return getattr(queryset, "raw_values", queryset.values)(*names)


def _union(parts):
    return parts[0].union(*parts[1:], all=True)


def _matches(query: SearchQuery, searchables):
    """Each searchable's public rows matching `query`, as (kind, id, rank) parts."""
    return [
        _columns(
            searchable.public()
            .filter(search_vector=query)
            .annotate(result_kind=Value(searchable.kind, output_field=CharField()))
            .annotate(rank=SearchRank(F("search_vector"), query)),
            "result_kind",
            "id",
            "rank",
        ).order_by()
        for searchable in searchables
    ]


# Stands for the visitor's words in the compiled UNION: a parameter, replaced by theirs.
_WORDS = "portal:search:the-visitors-words"
COMPILED_FOR_SECONDS = 60


@functools.lru_cache(maxsize=32)
def _compiled_union(search_type: str, language: str, period: int) -> tuple[str, tuple, tuple]:
    """The UNION of every kind's matches as SQL, its parameters, and where the words go.

    Building and compiling it (a part per kind, each with its publishing rule and rank)
    took more time than running it. It depends on the language (the columns read), the
    kind of query and the time (the publishing rules hold it as a parameter): compiled
    for each language and kind once a `period` (COMPILED_FOR_SECONDS), so a publish-from
    time reaches search within a minute, as it reaches kept pages within their time."""
    query = SearchQuery(_WORDS, config="english", search_type=search_type)
    sql, params = _union(_matches(query, SEARCHABLES)).order_by().query.sql_with_params()
    words = tuple(i for i, value in enumerate(params) if value == _WORDS)
    return sql, tuple(params), words


class Matches:
    """The public rows of every kind matching the visitor's words, as one UNION, counted
    and paged by SQL of our own around it (a search needs it twice, or four times when
    it tries prefixes).

    Only our own compiled SQL is put in the statements; the visitor's words stay among
    its parameters, never inlined."""

    def __init__(self, words: str, *, search_type: str):
        self.sql, params, positions = _compiled_union(
            search_type, translation_language(), int(time.time() // COMPILED_FOR_SECONDS)
        )
        self.params = list(params)
        for position in positions:
            self.params[position] = words
        self.query = SearchQuery(words, config="english", search_type=search_type)

    def counts(self) -> dict[str, int]:
        """How many rows of each kind match: one query, a GROUP BY over the UNION."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT result_kind, COUNT(*) FROM ({self.sql}) matches GROUP BY result_kind",  # noqa: S608
                self.params,
            )
            return dict(cursor.fetchall())

    def counts_and_page(self, kinds: list[str], offset: int, limit: int) -> dict[str, int]:
        """``counts()``, and the rows of `kinds` from `offset`, best first, in one query:
        the UNION is evaluated once (a CTE) for both, not once for the counts and again
        for the page. The rows are kept for ``ranked()`` to answer that page with."""
        counts, rows = {}, []
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH matches AS MATERIALIZED ({self.sql}) "  # noqa: S608
                "SELECT 'count', result_kind, COUNT(*), NULL FROM matches GROUP BY result_kind "
                "UNION ALL (SELECT 'row', result_kind, id, rank FROM matches "
                "WHERE result_kind = ANY(%s) ORDER BY rank DESC, result_kind, id "
                "LIMIT %s OFFSET %s)",
                (*self.params, kinds, limit, offset),
            )
            for part, kind, number, rank in cursor.fetchall():
                if part == "count":
                    counts[kind] = number
                else:
                    rows.append({"result_kind": kind, "id": number, "rank": rank})
        self.known_page = (tuple(kinds), offset, limit, rows)
        return counts

    def ranked(self, kinds: list[str]) -> "RankedMatches":
        return RankedMatches(self, kinds)


@dataclass
class RankedMatches:
    """The rows of `kinds`, best first, as (kind, id, rank) dicts: sliced by the paginator,
    each slice one query (PostgreSQL leaves out the UNION's parts of other kinds)."""

    matches: Matches
    kinds: list[str]

    def __getitem__(self, page: slice) -> list[dict]:
        offset = page.start or 0
        known = getattr(self.matches, "known_page", None)
        if known and known[:2] == (tuple(self.kinds), offset) and page.stop - offset <= known[2]:
            return known[3][: page.stop - offset]  # read with the counts
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT result_kind, id, rank FROM ({self.matches.sql}) matches "  # noqa: S608
                "WHERE result_kind = ANY(%s) ORDER BY rank DESC, result_kind, id "
                "LIMIT %s OFFSET %s",
                (*self.matches.params, self.kinds, page.stop - offset, offset),
            )
            return [
                {"result_kind": kind, "id": pk, "rank": rank}
                for kind, pk, rank in cursor.fetchall()
            ]


def _excerpt_source(searchable: Searchable):
    pieces = [F(name) for name in searchable.text_fields]
    pieces += [StripTags(F(name)) for name in searchable.html_fields]
    joined = []
    for piece in pieces:
        joined += [piece, Value(" ")]
    return Concat(*joined, output_field=CharField())


def _details(rows, query: SearchQuery) -> dict[tuple[str, int], dict]:
    """Titles, URL parts, excerpts and next dates for one page of results, in one query."""
    wanted = {}
    for row in rows:
        wanted.setdefault(row["result_kind"], []).append(row["id"])
    parts = []
    for searchable in SEARCHABLES:
        if searchable.kind not in wanted:
            continue
        parts.append(
            _columns(
                searchable.public()
                .filter(pk__in=wanted[searchable.kind])
                .annotate(
                    result_kind=Value(searchable.kind, output_field=CharField()),
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
                        fragment_delimiter=f" {ELLIPSIS} ",
                    ),
                    # The text's two ends (not all of a long writing): where it was cut.
                    text_head=Left(_excerpt_source(searchable), EXCERPT_ENDS),
                    text_tail=Right(_excerpt_source(searchable), EXCERPT_ENDS),
                    shown_in_english=searchable.title_in_english(),
                    next_date=searchable.next_start(),
                ),
                "result_kind",
                "id",
                "result_title",
                "slug",
                "parent_slug",
                "excerpt",
                "text_head",
                "text_tail",
                "shown_in_english",
                "next_date",
            ).order_by()
        )
    if not parts:
        return {}
    return {
        (row["result_kind"], row["id"]): row for row in _union(parts).order_by("result_kind", "id")
    }


def _plain(text: str) -> str:
    """One line of text: entities decoded, whitespace collapsed, no sentinels."""
    return " ".join(html.unescape(text or "").replace(START, "").replace(STOP, "").split())


def _highlight(excerpt: str, head: str | None = None, tail: str | None = None) -> SafeString:
    """The excerpt, escaped, matches in <mark>, with an ellipsis wherever it was cut.

    ``ts_headline`` cuts at word boundaries; the ellipses say where the text goes on,
    told from the `head` and `tail` of the text it was cut from (its first and last
    EXCERPT_ENDS characters).
    """
    # Formatted text keeps its entities (&amp;) once tags are stripped: decode, then
    # escape everything, then turn our sentinels into <mark>.
    text = " ".join(html.unescape(excerpt or "").split())
    if head is not None and tail is not None:
        head, tail = _plain(head), _plain(tail)
        fragments = [_plain(part) for part in text.split(f" {ELLIPSIS} ")]
        at = head.find(fragments[0]) if len(fragments) == 1 and fragments[0] else -1
        if at >= 0 and head == tail and len(head.split()) <= SHORT_TEXT_WORDS:
            # A short text is shown whole (ts_headline trims its first and last words).
            text = head[:at] + text + head[at + len(fragments[0]) :]
            fragments = [head]
        first, last = fragments[0], fragments[-1]
        if first and not head.startswith(first):
            text = f"{ELLIPSIS} {text}"
        if last and not tail.endswith(last):
            text = f"{text} {ELLIPSIS}"
    text = escape(text)
    return mark_safe(text.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


MIN_PREFIX_LENGTH = 4  # "the:*" or "x:*" would find nearly everything


def prefix_words(text: str) -> str | None:
    """Every word of four letters or more as a prefix (``volunt:*``), all required; None
    when there is no such word. Only letters and digits reach ``to_tsquery``: no
    operator can be smuggled in."""
    words = [
        word
        for word in WORDS.findall(text.lower().replace("_", " "))[:MAX_WORDS]
        if len(word) >= MIN_PREFIX_LENGTH
    ]
    if not words:
        return None
    return " & ".join(f"{word}:*" for word in words)


def _page(
    matches: Matches | None,
    counts: dict[str, int],
    kind: str,
    *,
    page_number,
    per_page,
):
    searchables = [s for s in SEARCHABLES if not kind or s.filter_kind == kind]
    ranked = matches.ranked([s.kind for s in searchables]) if matches else []
    paginator = Paginator(ranked, per_page)
    # The counts are known already (query 1): the paginator need not count again.
    paginator.count = sum(counts.get(s.kind, 0) for s in searchables)
    page = paginator.get_page(page_number)
    rows = list(page.object_list) if paginator.count else []
    details = _details(rows, matches.query) if rows else {}
    page.object_list = [
        SearchResult(
            kind=SEARCHABLE_BY_KIND[row["result_kind"]].label,
            title=detail["result_title"],
            url=SEARCHABLE_BY_KIND[row["result_kind"]].url(detail),
            excerpt=_highlight(detail["excerpt"], detail["text_head"], detail["text_tail"]),
            in_english=bool(detail["shown_in_english"]),
            next_start=detail["next_date"],
        )
        for row in rows
        if (detail := details.get((row["result_kind"], row["id"])))
    ]
    return page, paginator


def _kind_counts(counts: dict[str, int], kind: str) -> list[KindCount]:
    by_group: dict[str, int] = {}
    for searchable in SEARCHABLES:
        by_group[searchable.filter_kind] = by_group.get(searchable.filter_kind, 0) + counts.get(
            searchable.kind, 0
        )
    return [
        KindCount(kind=group, label=label, count=by_group[group], chosen=group == kind)
        for group, label in groups().items()
        if by_group[group]
    ]


def search(
    raw_query: str, *, page_number=1, per_page: int = 10, kind: str = "", generation=None
) -> SearchOutcome:
    """What a visitor's query finds (see the module's docstring for the queries made).

    `kind` narrows the page to one result group (the counts still cover every group);
    `generation` (the request's content generation) keys the kept vocabulary.
    """
    text = clean_query(raw_query)
    kind = clean_kind(kind)
    # The page is read with the counts, at the offset asked for.
    page_of = ([s.kind for s in SEARCHABLES if not kind or s.filter_kind == kind], 0, per_page)
    try:
        number = min(max(int(page_number), 1), MAX_PAGE)  # a page past the last is read again
        page_of = (page_of[0], (number - 1) * per_page, per_page)
    except (TypeError, ValueError):
        pass
    matches = Matches(text, search_type="websearch") if text else None
    counts = matches.counts_and_page(*page_of) if matches else {}
    by_prefix = ""
    if not counts and (prefixes := prefix_words(text)) is not None:
        prefixed = Matches(prefixes, search_type="raw")
        if prefixed_counts := prefixed.counts_and_page(*page_of):
            matches, counts, by_prefix = prefixed, prefixed_counts, text
    page, paginator = _page(matches, counts, kind, page_number=page_number, per_page=per_page)
    total = sum(counts.values())
    return SearchOutcome(
        page=page,
        paginator=paginator,
        counts=_kind_counts(counts, kind),
        total=total,
        kind=kind,
        prefix_words=by_prefix,
        suggestion="" if total or not text else suggest(text, generation=generation),
    )


# ----------------------------------------------------------------- did you mean…

VOCABULARY_SIZE = 4000  # the most common public words: a bounded list to compare with


def vocabulary() -> list[str]:
    """The public content's commonest words, commonest first: ``ts_stat`` over the UNION
    of every kind's public rows (nothing a draft or a hidden writer holds), their titles
    and summaries in the active language.

    Word for word ("simple"), not the stored vectors' stems: a suggestion is shown, and
    "volunteer" reads better than the stem "volunt". Kept per content generation
    (kept_vocabulary), so its cost is paid once per staff edit, not per search.
    """
    parts = [
        _columns(
            s.public().annotate(
                spelling=SearchVector(s.title_field, *s.text_fields, config="simple")
            ),
            "spelling",
        ).order_by()
        for s in SEARCHABLES
    ]
    sql, params = _union(parts).order_by().query.sql_with_params()
    inner = connection.ops.compose_sql(sql, params)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM ts_stat(%s) WHERE length(word) BETWEEN 3 AND 30 "
            "AND word ~ '^[[:alpha:]]+$' ORDER BY ndoc DESC, nentry DESC, word LIMIT %s",
            [inner, VOCABULARY_SIZE],
        )
        return [word for (word,) in cursor.fetchall()]


def kept_vocabulary(generation) -> list[str]:
    """vocabulary(), kept per content generation and language (a staff edit renews it)."""
    if not generation:
        return vocabulary()
    return kept(f"search-vocabulary:{generation}:{get_language()}", vocabulary)


def levenshtein(a: str, b: str, *, limit: int) -> int:
    """Edits from `a` to `b`; anything over `limit` is reported as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _allowed_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2 if len(word) <= 9 else 3


def _respell(word: str, known: list[str], known_set: set[str]) -> str:
    if len(word) < 3 or word in known_set or not word.isalpha():
        return word
    limit = _allowed_edits(word)
    best, best_distance = word, limit + 1
    for lexeme in known:  # commonest first: the first of equals wins
        distance = levenshtein(word, lexeme, limit=min(limit, best_distance - 1))
        if distance < best_distance:
            best, best_distance = lexeme, distance
            if distance == 1:
                break
    return best


def suggest(text: str, *, generation=None) -> str:
    """A respelling of `text` from the public vocabulary, or "" when none is closer."""
    words = WORDS.findall(text.lower().replace("_", " "))[:MAX_WORDS]
    if not words:
        return ""
    known = kept_vocabulary(generation)
    known_set = set(known)
    respelt = [_respell(word, known, known_set) for word in words]
    return " ".join(respelt) if respelt != words else ""
