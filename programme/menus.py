"""The menus visitors see (issue 13): the header's navigation and the footer's groups of
links, as staff arrange them in the admin (``Menu``, ``MenuItem``).

Every page shows them, so they are read once per request at most, in one query, and kept
with the fragments (``core.caching.fragments``): a page whose header and footer are kept
reads nothing. What is kept is plain data (labels and addresses in the page's language),
and the content generation it is keyed by changes with any menu, link, page, strand or
project, so a link to something unpublished leaves at once.

Until the menus exist (a fresh database before its migrations, a test's emptied tables)
or while the database cannot be read (the 500 page), the built-in defaults stand in: the
same links the migration seeds.
"""

import datetime
import json
import logging
from dataclasses import dataclass, replace

from django.contrib.postgres.expressions import ArraySubquery
from django.db import Error
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import get_language, gettext
from modeltranslation.settings import AVAILABLE_LANGUAGES
from modeltranslation.utils import get_language as translation_language

from core.caching import fragments
from core.caching.keys import keep_nothing
from core.compiled import TIME_MARK, CompiledQuery
from core.templatetags.portal import in_section
from core.translated import SOURCE_LANGUAGE
from programme.models import (
    Menu,
    MenuItem,
    MenuPlace,
    Partner,
    SiteSection,
    menu_target_url,
    section_url,
)

logger = logging.getLogger(__name__)

# The menus as the site had them built in (the migration 0015 seeds the same).
DEFAULT_HEADER = (
    SiteSection.HOME,
    SiteSection.PROGRAMME,
    SiteSection.WRITERS,
    SiteSection.WRITINGS,
    SiteSection.EVENTS,
    SiteSection.VOLUNTEER,
    SiteSection.ABOUT,
)
DEFAULT_FOOTER_HEADING = "About this site"
# Its Arabic and Persian, as the interface translates it (the heading is staff's to edit).
DEFAULT_FOOTER_HEADINGS = {
    "en": DEFAULT_FOOTER_HEADING,
    "ar": "عن هذا الموقع",
    "fa": "دربارهٔ این سایت",
}
DEFAULT_FOOTER = (
    SiteSection.CONTACT,
    SiteSection.PRIVACY,
    SiteSection.ACCESSIBILITY,
    SiteSection.SUPPORTERS,
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    lang: str = ""  # "en" when the label is English shown on a page in another language
    external: bool = False


@dataclass(frozen=True)
class Group:
    """A footer menu: its heading and links."""

    heading: str
    links: tuple[Link, ...]
    lang: str = ""  # as Link.lang, for the heading


@dataclass(frozen=True)
class SiteMenus:
    header: tuple[Link, ...] = ()
    footer: tuple[Group, ...] = ()
    # The footer's published supporters: read in the same query as the links, so the
    # header, the footer's menus and its supporters cost one query together.
    supporters: tuple[Partner, ...] = ()

    def current(self, path: str) -> str:
        """The address of the header link the page at `path` belongs under: the longest
        one `path` is at or below ("/programme/shahrazad/" over "/programme/"); "" for
        none. Only this varies the kept header from page to page."""
        best = ""
        for link in self.header:
            if not link.external and in_section(path, link.url) and len(link.url) > len(best):
                best = link.url
        return best


def _in_language(row: dict, column: str) -> tuple[str, str]:
    """The text of `column` in the page's language or, lacking it, in English with "en"
    (the fallback a translated model gives, and what ``fallback_fields`` says of it)."""
    language = translation_language()
    if text := row[f"{column}_{language}"]:
        return text, ""
    english = row[f"{column}_{SOURCE_LANGUAGE}"] or ""
    return english, SOURCE_LANGUAGE if english and language != SOURCE_LANGUAGE else ""


def _target_title(row: dict) -> tuple[str, str]:
    """The title of the item's target (the link's words when staff give none)."""
    for target in ("page", "strand", "project"):
        if row[f"{target}__id"] is not None:
            return _in_language(row, f"{target}__title")
    return (str(SiteSection(row["section"]).label) if row["section"] else ""), ""


def _link(row: dict) -> Link | None:
    """A menu item's link, as ``MenuItem.target_url`` and its label say, from its row."""
    url = menu_target_url(
        page_slug=row["page__slug"] if row["page__id"] is not None else None,
        strand_slug=row["strand__slug"] if row["strand__id"] is not None else None,
        project_slugs=(row["project__strand__slug"], row["project__slug"])
        if row["project__id"] is not None
        else None,
        section=row["section"],
        url=row["url"],
    )
    if not url:
        return None  # a section whose address is gone: left out, never an error
    label, lang = _in_language(row, "label")
    if not label:
        label, lang = _target_title(row)
    return Link(label=label, url=url, lang=lang, external=bool(row["url"]))


def _section_links(sections) -> tuple[Link, ...]:
    links = []
    for section in sections:
        url = section_url(section)
        if url:
            links.append(Link(label=str(SiteSection(section).label), url=url))
    return tuple(links)


def built_in_menus() -> SiteMenus:
    """The defaults, made without the database."""
    footer = Group(heading=gettext(DEFAULT_FOOTER_HEADING), links=_section_links(DEFAULT_FOOTER))
    return SiteMenus(header=_section_links(DEFAULT_HEADER), footer=(footer,))


# What the footer shows of a supporter, carried in the links' query.
SUPPORTER_FIELDS = ("id", "name", "kind", "url", "order")


def _supporters_column(*, now: datetime.datetime) -> ArraySubquery:
    published = Partner.objects.published(now=now).order_by("order", "name")
    return ArraySubquery(
        published.values(json=JSONObject(**{name: name for name in SUPPORTER_FIELDS}))
    )


def _languages(lookup: str) -> tuple[str, ...]:
    return tuple(f"{lookup}_{language}" for language in AVAILABLE_LANGUAGES)


# What a link needs of its item, its menu and its target, as flat columns: titles and
# addresses, in every language (the fallback reads English), never a page's text.
ITEM_COLUMNS = ("section", "url", *_languages("label"))
MENU_COLUMNS = ("id", "place", *_languages("heading"))
TARGET_COLUMNS = ("id", "slug", *_languages("title"))
COLUMNS = (
    *ITEM_COLUMNS,
    *(f"menu__{name}" for name in MENU_COLUMNS),
    *(f"{target}__{name}" for target in ("page", "strand", "project") for name in TARGET_COLUMNS),
    "project__strand__slug",
    "supporters",
)

# The menus' one query, compiled once per process (core/compiled.py): building and
# compiling it took more time than running it (5 of 9 ms of every page rendered afresh).
_MENU_QUERY = CompiledQuery(
    lambda now: (
        MenuItem.objects.shown(now=now)
        .in_menu_order()
        .annotate(supporters=_supporters_column(now=now))
        .raw_values(*COLUMNS)
    ),
    now=TIME_MARK,
)


def _rows(now: datetime.datetime) -> list[dict]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in _MENU_QUERY.rows(now=now)]


def _decoded(value) -> dict:
    """An element of an array of JSON read raw: psycopg 3 gives its text with server-side
    binding (our setting) and the value itself with client-side binding."""
    return json.loads(value) if isinstance(value, str) else value


def load_menus() -> SiteMenus:
    """Every menu's visible links and the published supporters, in one query (more only
    when no link is shown at all)."""
    header: list[Link] = []
    footer: dict[int, tuple[dict, list[Link]]] = {}
    rows = _rows(timezone.now())
    if rows:
        supporters = tuple(Partner(**_decoded(fields)) for fields in rows[0]["supporters"])
    else:
        supporters = tuple(Partner.objects.published())
        if not Menu.objects.exists():
            return replace(built_in_menus(), supporters=supporters)
    for row in rows:
        link = _link(row)
        if link is None:
            continue
        if row["menu__place"] == MenuPlace.HEADER:
            header.append(link)
        else:
            footer.setdefault(row["menu__id"], (row, []))[1].append(link)
    groups = []
    for menu, links in footer.values():
        heading, lang = _in_language(menu, "menu__heading")
        groups.append(Group(heading=heading, links=tuple(links), lang=lang))
    return SiteMenus(header=tuple(header), footer=tuple(groups), supporters=supporters)


def site_menus(request) -> SiteMenus:
    """The menus for this request's page: kept with the fragments, read once per request."""
    language = get_language()
    memo = getattr(request, "_site_menus", None)
    if memo is not None and memo[0] == language:
        return memo[1]

    def load():
        try:
            return load_menus()
        # Any driver error: a dropped connection is an InterfaceError, not a DatabaseError,
        # and the 503 page, shown when the database is away, has these menus too.
        except Error:
            logger.warning("Menus: the database cannot be read; built-in menus shown")
            if request is not None:
                keep_nothing(request)  # keep neither these menus nor the page around them
            return built_in_menus()

    menus = fragments.cached(request, "menus", [], load) if request is not None else load()
    if request is not None:
        request._site_menus = (language, menus)
    return menus


def create_default_menus() -> bool:
    """Make the built-in menus as records staff can edit, when there are none (the
    migration does this once; the demo loader again after a test empties the tables).
    Return whether it made them."""
    if Menu.objects.exists():
        return False
    header = Menu.objects.create(place=MenuPlace.HEADER)
    footer = Menu.objects.create(
        place=MenuPlace.FOOTER,
        heading=DEFAULT_FOOTER_HEADING,
        **{f"heading_{language}": text for language, text in DEFAULT_FOOTER_HEADINGS.items()},
    )
    MenuItem.objects.bulk_create(
        [
            *(
                MenuItem(menu=header, order=10 * n, section=section)
                for n, section in enumerate(DEFAULT_HEADER, start=1)
            ),
            *(
                MenuItem(menu=footer, order=10 * n, section=section)
                for n, section in enumerate(DEFAULT_FOOTER, start=1)
            ),
        ]
    )
    return True
