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
import functools
import json
import logging
from dataclasses import dataclass, replace

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DatabaseError, connection
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.translation import get_language, gettext
from modeltranslation.settings import AVAILABLE_LANGUAGES

from core.caching import fragments
from core.caching.keys import keep_nothing
from core.templatetags.portal import in_section
from core.translated import SOURCE_LANGUAGE, fallback_fields
from programme.models import (
    Menu,
    MenuItem,
    MenuPlace,
    Page,
    Partner,
    Project,
    SiteSection,
    Strand,
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


def _english_shown(obj, name: str) -> str:
    """ "en" when `obj.<name>` is shown in English on a page in another language."""
    return SOURCE_LANGUAGE if fallback_fields(obj, name) else ""


def _link(item: MenuItem) -> Link | None:
    url = item.target_url()
    if not url:
        return None  # a section whose address is gone: left out, never an error
    if item.label:
        label, lang = item.label, _english_shown(item, "label")
    elif item.section:
        label, lang = str(SiteSection(item.section).label), ""
    else:
        target = item.page or item.strand or item.project
        label, lang = target.title, _english_shown(target, "title")
    return Link(label=label, url=url, lang=lang, external=bool(item.url))


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
ITEM_COLUMNS = ("id", "order", "section", "url", *_languages("label"))
MENU_COLUMNS = ("id", "place", "order", *_languages("heading"))
TARGET_COLUMNS = ("id", "slug", *_languages("title"))
COLUMNS = (
    *ITEM_COLUMNS,
    *(f"menu__{name}" for name in MENU_COLUMNS),
    *(f"{target}__{name}" for target in ("page", "strand", "project") for name in TARGET_COLUMNS),
    "project__strand__slug",
    "supporters",
)

# Stands for the time in the compiled query, whose parameters it marks: replaced by the
# time of each request.
_NOW = datetime.datetime(2000, 1, 1, 0, 0, 0, 1, tzinfo=datetime.UTC)


@functools.cache
def _compiled_query() -> tuple[str, tuple, frozenset[int]]:
    """The menus' one query, compiled once per process: building and compiling it took
    more time than running it (5 of 9 ms of every page rendered afresh). Only the time
    changes from one request to the next; the SQL depends on the code alone."""
    queryset = (
        MenuItem.objects.shown(now=_NOW)
        .in_menu_order()
        .annotate(supporters=_supporters_column(now=_NOW))
    )
    sql, params = queryset.raw_values(*COLUMNS).query.sql_with_params()
    return sql, tuple(params), frozenset(i for i, value in enumerate(params) if value == _NOW)


def _rows(now: datetime.datetime) -> list[dict]:
    sql, params, times = _compiled_query()
    params = [now if i in times else value for i, value in enumerate(params)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]


def _decoded(value) -> dict:
    """An element of an array of JSON read raw: psycopg2 gives its text, psycopg 3 the
    value itself."""
    return json.loads(value) if isinstance(value, str) else value


def _made(model, row: dict, prefix: str, names, **related):
    """A `model` holding only what a link reads (unsaved, never saved: read only)."""
    if row[f"{prefix}id"] is None:
        return None
    return model(**{name: row[prefix + name] for name in names}, **related)


def _item(row: dict) -> MenuItem:
    project = _made(
        Project,
        row,
        "project__",
        TARGET_COLUMNS,
        strand=Strand(slug=row["project__strand__slug"]),
    )
    return _made(
        MenuItem,
        row,
        "",
        ITEM_COLUMNS,
        menu=_made(Menu, row, "menu__", MENU_COLUMNS),
        page=_made(Page, row, "page__", TARGET_COLUMNS),
        strand=_made(Strand, row, "strand__", TARGET_COLUMNS),
        project=project,
    )


def load_menus() -> SiteMenus:
    """Every menu's visible links and the published supporters, in one query (more only
    when no link is shown at all)."""
    header: list[Link] = []
    footer: dict[int, tuple[Menu, list[Link]]] = {}
    rows = _rows(timezone.now())
    if rows:
        supporters = tuple(Partner(**_decoded(fields)) for fields in rows[0]["supporters"])
    else:
        supporters = tuple(Partner.objects.published())
        if not Menu.objects.exists():
            return replace(built_in_menus(), supporters=supporters)
    for item in map(_item, rows):
        link = _link(item)
        if link is None:
            continue
        if item.menu.place == MenuPlace.HEADER:
            header.append(link)
        else:
            footer.setdefault(item.menu.pk, (item.menu, []))[1].append(link)
    return SiteMenus(
        header=tuple(header),
        footer=tuple(
            Group(heading=menu.heading, links=tuple(links), lang=_english_shown(menu, "heading"))
            for menu, links in footer.values()
        ),
        supporters=supporters,
    )


def site_menus(request) -> SiteMenus:
    """The menus for this request's page: kept with the fragments, read once per request."""
    language = get_language()
    memo = getattr(request, "_site_menus", None)
    if memo is not None and memo[0] == language:
        return memo[1]

    def load():
        try:
            return load_menus()
        except DatabaseError:
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
