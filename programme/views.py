"""Public views of the programme. Thin: the querysets decide what is public."""

import functools

from django.db.models import Prefetch
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView

from core import search
from core.caching.fragments import CachedCountMixin
from core.caching.keys import keep_nothing
from programme.models import HomePage, Page, Partner, PartnerKind, Project, Strand, Writer


class HomeView(TemplateView):
    template_name = "programme/home.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        writers = Writer.objects.listed()
        context.update(
            homepage=HomePage.load(),
            strands=Strand.objects.published(),
            current_writers=writers.current(),
            # The first writer, when none is in residence today (lazy, as the
            # page's cached fragment may not need it).
            featured_writer=SimpleLazyObject(writers.order_by("residency_start").first),
            partners=Partner.objects.published(),
        )
        return context


def published_projects():
    return Prefetch("projects", queryset=Project.objects.published().select_related("strand"))


class StrandListView(ListView):
    template_name = "programme/strand_list.html"
    context_object_name = "strands"
    query_parameters = ()

    def get_queryset(self):
        return Strand.objects.published().prefetch_related(published_projects())


class StrandDetailView(DetailView):
    context_object_name = "strand"
    query_parameters = ()

    def get_queryset(self):
        return Strand.objects.for_viewer(self.request.user)

    def get_context_data(self, **kwargs):
        strand = self.object
        projects = Project.objects.published().filter(strand=strand).select_related("strand")
        writers = Writer.objects.listed().filter(strand=strand).order_by("residency_start")
        # Lazy, so the page's cached fragment (core/caching/fragments.py) skips the queries.
        return super().get_context_data(
            projects=SimpleLazyObject(lambda: list(projects)),
            writers=SimpleLazyObject(lambda: list(writers)),
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
        partners = self.object.partners.published()
        # Lazy, so the page's cached fragment (core/caching/fragments.py) skips the query.
        return super().get_context_data(partners=SimpleLazyObject(lambda: list(partners)), **kwargs)


class WriterListView(CachedCountMixin, ListView):
    """Writers in residence now, then those to come, then those we have hosted."""

    context_object_name = "writers"
    paginate_by = 24
    query_parameters = ("page",)

    def get_queryset(self):
        return Writer.objects.listed().in_residency_order()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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
    template_name = "programme/supporters.html"
    context_object_name = "partners"
    query_parameters = ()

    def get_queryset(self):
        return Partner.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = list(context["partners"])
        context["groups"] = [
            (label, [p for p in partners if p.kind == kind])
            for kind, label in PartnerKind.choices
            if any(p.kind == kind for p in partners)
        ]
        return context


class SearchView(TemplateView):
    """Full-text search; an empty or fruitless query gets help, never an error."""

    template_name = "programme/search.html"
    query_parameters = ("q", "page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = search.clean_query(self.request.GET.get("q"))
        context["query"] = query
        if query != (self.request.GET.get("q") or "") or (
            not query and self.request.GET.get("page")
        ):
            keep_nothing(self.request)  # "  poetry ", a page of nothing: shown, not kept
        if query:
            # Lazy, so the page's cached fragment (core/caching/fragments.py) skips the search.
            found = functools.cache(lambda: self.results_page(query))
            context.update(
                page_obj=SimpleLazyObject(lambda: found()[0]),
                paginator=SimpleLazyObject(lambda: found()[1]),
                results=SimpleLazyObject(lambda: found()[0].object_list),
            )
        return context

    def results_page(self, query):
        asked = self.request.GET.get("page")
        page, paginator = search.search(query, page_number=asked)
        if asked and asked != str(page.number):  # "01", or past the end: the last page
            keep_nothing(self.request)
        if not paginator.count:
            # Endless different searches find nothing (random words): answered, never
            # kept, so they cannot crowd the cache. Searches that find something are kept
            # for PAGE_CACHE_SECONDS like any page.
            keep_nothing(self.request)
        return page, paginator
