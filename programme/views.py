"""Public views of the programme. Thin: the querysets decide what is public."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView, TemplateView

from programme.models import HomePage, Page, Partner, PartnerKind, Project, Strand, Writer


class HomeView(TemplateView):
    template_name = "programme/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        writers = Writer.objects.listed()
        context.update(
            homepage=HomePage.load(),
            strands=Strand.objects.published(),
            current_writers=writers.current(),
            # The first writer, when none is in residence today.
            featured_writer=writers.order_by("residency_start").first(),
            partners=Partner.objects.published(),
        )
        return context


class StrandListView(ListView):
    template_name = "programme/strand_list.html"
    context_object_name = "strands"

    def get_queryset(self):
        return Strand.objects.published()


class StrandDetailView(DetailView):
    context_object_name = "strand"

    def get_queryset(self):
        return Strand.objects.for_viewer(self.request.user)


class ProjectDetailView(DetailView):
    context_object_name = "project"

    def get_queryset(self):
        return (
            Project.objects.for_viewer(self.request.user)
            .filter(strand__slug=self.kwargs["strand_slug"])
            .filter(strand__in=Strand.objects.for_viewer(self.request.user))
            .select_related("strand")
            .prefetch_related(Prefetch("partners", queryset=Partner.objects.published()))
        )


class WriterListView(ListView):
    context_object_name = "writers"

    def get_queryset(self):
        return Writer.objects.listed()


class WriterDetailView(DetailView):
    context_object_name = "writer"

    def get_queryset(self):
        return Writer.objects.reachable()


class PageDetailView(DetailView):
    """A staff-edited page; `slug` may be fixed by the URL pattern (/about/)."""

    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.for_viewer(self.request.user)

    def get_object(self, queryset=None):
        if "slug" not in self.kwargs:
            self.kwargs["slug"] = self.kwargs.get("page_slug")
        return super().get_object(queryset)


class SupportersView(ListView):
    template_name = "programme/supporters.html"
    context_object_name = "partners"

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
