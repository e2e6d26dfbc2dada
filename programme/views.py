"""Public views of the programme. Thin: the querysets decide what is public."""

import functools

from django import forms
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from core import search
from core.caching.fragments import CachedCountMixin
from core.caching.keys import keep_nothing
from programme.models import (
    HomePage,
    Page,
    Partner,
    Project,
    Strand,
    Writer,
    Writing,
    WritingVersion,
    group_by_kind,
    language_names,
    listed_writers,
    published_partners,
    published_projects,
    published_strands,
)


class HomeView(TemplateView):
    template_name = "programme/home.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            homepage=HomePage.load(),
            strands=published_strands(),
            current_writers=listed_writers(current=True),
            # The most recent writer, when none is in residence today (lazy, as the
            # page's cached fragment may not need it): never the first one ever hosted.
            featured_writer=SimpleLazyObject(
                lambda: next(iter(listed_writers(latest=True)[:1]), None)
            ),
            partners=published_partners(),
        )
        return context


class StrandListView(TemplateView):
    template_name = "programme/strand_list.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        # Lazy, so a kept fragment of the page (core/caching/fragments.py) reads nothing.
        return super().get_context_data(
            strands=SimpleLazyObject(self.strands_with_projects), **kwargs
        )

    @staticmethod
    def strands_with_projects() -> list[tuple]:
        """Each published strand with its published projects, in two queries."""
        projects = {}
        for project in published_projects():
            projects.setdefault(project.strand_id, []).append(project)
        return [(strand, projects.get(strand.pk, [])) for strand in published_strands()]


# A strand's page shows the writers it hosts now, those coming and the latest it hosted,
# and links to the rest (the writers list, filtered to the strand): a strand hosts a writer
# every year or two, and the page grew with every one of them.
STRAND_WRITERS_SHOWN = 8


class StrandDetailView(DetailView):
    context_object_name = "strand"
    query_parameters = ()

    def get_queryset(self):
        return Strand.objects.for_viewer(self.request.user)

    def get_context_data(self, **kwargs):
        strand = self.object
        # One more than is shown, to know whether there are more (no count).
        first = functools.cache(
            lambda: list(listed_writers(strand=strand.pk)[: STRAND_WRITERS_SHOWN + 1])
        )
        # Lazy, so a kept fragment of the page (core/caching/fragments.py) skips the
        # queries, and building them: a fifth of the page's time when it was kept.
        return super().get_context_data(
            projects=SimpleLazyObject(
                lambda: list(published_projects(strand=strand.pk, cards=True))
            ),
            writers=SimpleLazyObject(lambda: first()[:STRAND_WRITERS_SHOWN]),
            more_writers=SimpleLazyObject(lambda: len(first()) > STRAND_WRITERS_SHOWN),
            **kwargs,
        )


class ProjectDetailView(DetailView):
    context_object_name = "project"
    query_parameters = ()

    def get_queryset(self):
        return (
            Project.objects.for_viewer(self.request.user)
            .filter(strand__slug=self.kwargs["strand_slug"])
            .filter(strand__in=Strand.objects.for_viewer(self.request.user))
        )

    def get_context_data(self, **kwargs):
        project = self.object
        # Lazy, so a kept fragment of the page (core/caching/fragments.py) skips the query,
        # and building it.
        return super().get_context_data(
            partners=SimpleLazyObject(lambda: list(project.partners.published())), **kwargs
        )


class WriterListView(CachedCountMixin, ListView):
    """Writers in residence now, then those to come, then those we have hosted."""

    template_name = "programme/writer_list.html"
    context_object_name = "writers"
    paginate_by = 24
    # ?strand=<slug>: the writers of one strand (its page links here for the rest).
    query_parameters = ("page", "strand")

    def get_queryset(self):
        self.strand = self.chosen_strand()
        return listed_writers(strand=self.strand.pk if self.strand is not None else None)

    def chosen_strand(self):
        """The published strand ``?strand=`` names, None when none is asked for. A slug
        that names none (a strand since unpublished) shows every writer, kept nowhere."""
        slug = self.request.GET.get("strand")
        if not slug:
            return None
        strand = Strand.objects.published().filter(slug=slug).names().first()
        if strand is None:
            keep_nothing(self.request)
        return strand

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["strand"] = self.strand
        # Lazy, so the page's cached fragment (core/caching/fragments.py) skips the query.
        context["groups"] = SimpleLazyObject(lambda: self.grouped(context["writers"]))
        return context

    @staticmethod
    def grouped(writers):
        groups = {"current": [], "past": [], "upcoming": []}
        for writer in writers:
            groups[writer.residency_state()].append(writer)
        return [
            ("current", _("In residence now"), groups["current"]),
            ("upcoming", _("Coming soon"), groups["upcoming"]),
            ("past", _("Writers we have hosted"), groups["past"]),
        ]


class WriterDetailView(DetailView):
    context_object_name = "writer"
    query_parameters = ()

    def get_queryset(self):
        # Works and quotes are read by the template, inside the page's cached fragment.
        return Writer.objects.for_viewer(self.request.user)

    def get_context_data(self, **kwargs):
        # Lazy, so a kept fragment of the page (core/caching/fragments.py) skips the
        # queries and building them too: their filters (published, a published version,
        # a reachable writer) cost a third of the page's time when it was kept.
        return super().get_context_data(
            writings=SimpleLazyObject(lambda: list(self.writings())), **kwargs
        )

    def writings(self):
        user = self.request.user
        return (
            Writing.objects.for_viewer(user)
            .by_writer(self.object)
            .prefetch_related(versions_for(user))
        )


def versions_for(user):
    """The versions a viewer may read, as `writing.shown_versions`."""
    return Prefetch(
        "versions", queryset=WritingVersion.objects.for_viewer(user), to_attr="shown_versions"
    )


def language_label(tag: str) -> str:
    name, local = language_names(tag)
    return name if local == name else f"{name} ({local})"


class WritingFilterForm(forms.Form):
    """The writings list's filters: a plain GET form, its state in the URL. Unknown
    values (an old link, a typo) fall away rather than fail."""

    writer = forms.ChoiceField(
        label=_("Writer"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, writers=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.writers = {writer.slug: writer for writer in writers}
        self.fields["writer"].choices = [
            ("", _("All writers")),
            *((writer.slug, writer.name) for writer in writers),
        ]
        self.fields["language"].choices = [
            ("", _("All languages")),
            *((tag, language_label(tag)) for tag in languages),
        ]

    @classmethod
    def from_query(cls, query, *, writers, languages) -> "WritingFilterForm":
        """A form showing the valid part of `query`; invalid values fall away."""
        form = cls(query, writers=writers, languages=languages)
        if form.is_valid():
            return form
        valid = {
            name: value
            for name, value in form.cleaned_data.items()
            if name not in form.errors and value
        }
        form = cls(valid, writers=writers, languages=languages)
        form.is_valid()
        return form

    def query(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def is_filtered(self) -> bool:
        return bool(self.query())

    def apply(self, writings):
        data = self.cleaned_data
        if data.get("writer"):
            writings = writings.by_writer(self.writers[data["writer"]])
        if data.get("language"):
            writings = writings.in_language(data["language"])
        return writings


class WritingListView(CachedCountMixin, ListView):
    """/writings/: writers' texts in their own languages, with translations; filter by
    writer and language. Only listed writers' writings, never unlisted or hidden ones."""

    template_name = "programme/writing_list.html"
    context_object_name = "writings"
    paginate_by = 20
    query_parameters = ("writer", "language", "page")

    def get_queryset(self):
        listed = Writing.objects.listed()
        writers = (
            Writer.objects.listed()
            .filter(Exists(listed.filter(writer=OuterRef("pk"))))
            .order_by("name")
        )
        languages = (
            WritingVersion.objects.listed()
            .order_by("language")
            .values_list("language", flat=True)
            .distinct()
        )
        self.filter_form = WritingFilterForm.from_query(
            self.request.GET, writers=list(writers), languages=list(languages)
        )
        asked = {name: self.request.GET.get(name) for name in self.filter_form.fields}
        if self.filter_form.query() != {name: value for name, value in asked.items() if value}:
            keep_nothing(self.request)  # ?writer=<no such writer>: shown, not kept
        return (
            self.filter_form.apply(listed)
            .select_related("writer")
            .prefetch_related(
                Prefetch(
                    "versions",
                    queryset=WritingVersion.objects.published(),
                    to_attr="shown_versions",
                )
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter_form=self.filter_form, **kwargs)


class WritingDetailView(DetailView):
    """A writing: its original beside one translation (chosen with ``?with=<language>``),
    side by side on a wide screen, one after the other on a phone."""

    context_object_name = "writing"
    template_name = "programme/writing_detail.html"
    query_parameters = ("with",)

    def get_queryset(self):
        user = self.request.user
        return (
            Writing.objects.for_viewer(user)
            .filter(writer__in=Writer.objects.for_viewer(user))
            .select_related("writer")
        )

    def get_context_data(self, **kwargs):
        writing = self.object
        versions = list(
            WritingVersion.objects.for_viewer(self.request.user).filter(writing=writing)
        )
        # The public reach only writings with a published version (Writing.public());
        # staff previewing one with none yet see the page without versions.
        for version in versions:
            version.writing = writing
        original = next((version for version in versions if version.is_original), None)
        translations = [version for version in versions if not version.is_original]
        beside = self.chosen_translation(translations)
        shown = [version for version in (original, beside) if version is not None]
        if not shown and translations:
            shown = translations[:1]
        return super().get_context_data(
            versions=versions,
            original=original,
            shown=shown,
            translations=translations,
            **kwargs,
        )

    def chosen_translation(self, translations):
        asked = (self.request.GET.get("with") or "").lower()
        by_language = {version.language.lower(): version for version in translations}
        if asked:
            if asked in by_language and self.request.GET["with"] == by_language[asked].language:
                return by_language[asked]
            keep_nothing(self.request)  # an unknown language, or a tag spelled otherwise
            if asked in by_language:
                return by_language[asked]
        english = [version for version in translations if version.language.split("-")[0] == "en"]
        return (english or translations or [None])[0]


class PageDetailView(DetailView):
    """A staff-edited page; `slug` may be fixed by the URL pattern (/about/)."""

    context_object_name = "page"
    query_parameters = ()

    def get_queryset(self):
        return Page.objects.for_viewer(self.request.user)

    def get_object(self, queryset=None):
        if "slug" not in self.kwargs:
            self.kwargs["slug"] = self.kwargs.get("page_slug")
        return super().get_object(queryset)


class SupportersView(ListView):
    """The supporters under a heading per kind: funders, partners, networks."""

    template_name = "programme/supporters.html"
    context_object_name = "partners"
    query_parameters = ()

    def get_queryset(self):
        return Partner.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Lazy, so the page's cached fragment (core/caching/fragments.py) skips the query.
        context["groups"] = SimpleLazyObject(lambda: group_by_kind(context["partners"]))
        return context


class SearchView(TemplateView):
    """Full-text search; an empty or fruitless query gets help, never an error.

    ``?kind=`` narrows the results to one group (events, writers, volunteering…); the
    counts of every group stay on the page as links.
    """

    template_name = "programme/search.html"
    query_parameters = ("q", "kind", "page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        raw = self.request.GET.get("q") or ""
        query = search.clean_query(raw)
        kind = search.clean_kind(self.request.GET.get("kind"))
        context.update(
            query=query,
            kind=kind,
            query_was_cut=len(" ".join(raw.split())) > search.MAX_QUERY_LENGTH,
        )
        if (
            query != raw
            or (self.request.GET.get("kind") or "") != kind
            or (not query and (self.request.GET.get("page") or kind))
        ):
            keep_nothing(self.request)  # "  poetry ", an unknown kind: shown, not kept
        if query:
            # Lazy, so the page's cached fragment (core/caching/fragments.py) skips the search.
            found = functools.cache(lambda: self.outcome(query, kind))
            context.update(
                outcome=SimpleLazyObject(found),
                page_obj=SimpleLazyObject(lambda: found().page),
                paginator=SimpleLazyObject(lambda: found().paginator),
                results=SimpleLazyObject(lambda: found().page.object_list),
            )
        return context

    def outcome(self, query, kind):
        asked = self.request.GET.get("page")
        outcome = search.search(
            query,
            page_number=asked,
            kind=kind,
            generation=getattr(self.request, "content_generation", None),
        )
        if asked and asked != str(outcome.page.number):  # "01", or past the end: the last page
            keep_nothing(self.request)
        if not outcome.total:
            # Endless different searches find nothing (random words): answered, never
            # kept, so they cannot crowd the cache. Searches that find something are kept
            # for PAGE_CACHE_SECONDS like any page.
            keep_nothing(self.request)
        return outcome
