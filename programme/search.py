"""What the programme makes searchable: strands, projects, listed writers, pages."""

from django.utils.translation import gettext_lazy as _

from core.search import Searchable
from programme.models import Page, Project, Strand, Writer

SEARCHABLES = [
    Searchable(
        kind="strand",
        label=_("Programme strand"),
        public=Strand.objects.published,
        title_field="title",
        text_fields=("summary",),
        html_fields=("body",),
        url=lambda row: Strand(slug=row["slug"]).get_absolute_url(),
    ),
    Searchable(
        kind="project",
        label=_("Project"),
        public=lambda: Project.objects.published().filter(strand__in=Strand.objects.published()),
        title_field="title",
        text_fields=("summary",),
        html_fields=("body",),
        url=lambda row: Project(
            strand=Strand(slug=row["parent_slug"]), slug=row["slug"]
        ).get_absolute_url(),
        parent_field="strand__slug",
    ),
    Searchable(
        kind="writer",
        label=_("Writer"),
        public=Writer.objects.listed,  # never unlisted or hidden writers
        title_field="name",
        text_fields=("summary",),
        html_fields=("biography",),
        url=lambda row: Writer(slug=row["slug"]).get_absolute_url(),
    ),
    Searchable(
        kind="page",
        label=_("Page"),
        public=Page.objects.published,
        title_field="title",
        text_fields=("summary",),
        html_fields=("body",),
        url=lambda row: Page(slug=row["slug"]).get_absolute_url(),
    ),
]
