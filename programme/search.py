"""What the programme makes searchable: strands, projects, listed writers, their
writings (each version in its own language), pages and published supporters."""

from django.db.models import Case, CharField, F, Value, When
from django.urls import reverse
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from core.search import Searchable, computed_vector, english_only, title_falls_back
from core.translated import with_translated_text
from programme.models import Page, Partner, PartnerKind, Project, Strand, Writer, WritingVersion


def searchable_writing_versions():
    """Listed writers' published writings, each version searchable in its own language
    (its stored vector is made with its language's configuration, and matched in every
    language: programme.models.EveryLanguageMatch). The hit's address is built from
    `slug` (the writing's) and `parent_slug` (the version's language, empty for the
    original), without a query."""
    return WritingVersion.objects.listed().annotate(
        slug=F("writing__slug"),
        shown_with=Case(
            When(is_original=True, then=Value("")),
            default=F("language"),
            output_field=CharField(),
        ),
    )


def searchable_partners():
    """Published supporters. A few dozen rows at most, so their vector is computed in
    the query (core.search.computed_vector) rather than stored: no migration, no index
    to keep, and the same number of queries. Names and descriptions are not translated;
    the kind ("Funder") is searchable in English and in the visitor's language."""
    kinds = [When(kind=value, then=Value(str(label))) for value, label in PartnerKind.choices]
    with override("en"):
        kinds_en = [
            When(kind=value, then=Value(str(label))) for value, label in PartnerKind.choices
        ]
        supporter_en = gettext("Supporter")
    return Partner.objects.published().annotate(
        shown_title=F("name"),
        slug=Value("", output_field=CharField()),
        search_vector=computed_vector(
            (F("name"), "A"),
            (F("description"), "B"),
            (Case(*kinds_en, default=Value(""), output_field=CharField()), "C"),
            (Case(*kinds, default=Value(""), output_field=CharField()), "C"),
            (Value(f"{supporter_en} {gettext('Supporter')}"), "D"),
        ),
    )


def writing_version_url(row) -> str:
    url = reverse("programme:writing", kwargs={"slug": row["slug"]})
    language = row["parent_slug"]
    if language:
        return f"{url}?with={language}#version-{language.lower()}"
    return url


SEARCHABLES = [
    Searchable(
        kind="strand",
        label=_("Programme strand"),
        group_label=_("Programme strands"),
        title_in_english=lambda: title_falls_back("title"),
        public=lambda: with_translated_text(Strand.objects.published(), "title", "summary", "body"),
        title_field="shown_title",
        text_fields=("shown_summary",),
        html_fields=("shown_body",),
        url=lambda row: Strand.address(row["slug"]),
    ),
    Searchable(
        kind="project",
        label=_("Project"),
        group_label=_("Projects"),
        title_in_english=lambda: title_falls_back("title"),
        public=lambda: with_translated_text(
            Project.objects.published().filter(strand__in=Strand.objects.published()),
            "title",
            "summary",
            "body",
        ),
        title_field="shown_title",
        text_fields=("shown_summary",),
        html_fields=("shown_body",),
        url=lambda row: Project.address(row["parent_slug"], row["slug"]),
        parent_field="strand__slug",
    ),
    Searchable(
        kind="writer",
        label=_("Writer"),
        group_label=_("Writers"),
        # never unlisted or hidden writers
        public=lambda: with_translated_text(Writer.objects.listed(), "summary", "biography"),
        title_field="name",
        text_fields=("shown_summary",),
        html_fields=("shown_biography",),
        url=lambda row: Writer.address(row["slug"]),
    ),
    Searchable(
        kind="writing",
        label=_("Writing"),
        group_label=_("Writings"),
        public=searchable_writing_versions,  # never unlisted, hidden or unconsented writers'
        title_field="title",
        text_fields=("text",),
        html_fields=(),
        url=writing_version_url,
        parent_field="shown_with",
    ),
    Searchable(
        kind="page",
        label=_("Page"),
        group_label=_("Pages"),
        title_in_english=lambda: title_falls_back("title"),
        public=lambda: with_translated_text(Page.objects.published(), "title", "summary", "body"),
        title_field="shown_title",
        text_fields=("shown_summary",),
        html_fields=("shown_body",),
        url=lambda row: Page.address(row["slug"]),
    ),
    Searchable(
        kind="supporter",
        label=_("Supporter"),
        group_label=_("Supporters"),
        public=searchable_partners,
        title_field="shown_title",
        text_fields=("description",),
        html_fields=(),
        url=lambda row: reverse("programme:supporters"),
        title_in_english=english_only,
    ),
]
