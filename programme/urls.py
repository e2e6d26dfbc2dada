"""The programme's public addresses: home sections, strands, projects, writers, writings,
pages, search."""

from django.urls import path
from django.views.decorators.http import require_safe

from core import converters  # noqa: F401 (registers <uslug>)
from core.caching.responses import conditional_document
from programme import feeds, views

app_name = "programme"

urlpatterns = [
    path("programme/", views.StrandListView.as_view(), name="strands"),
    path("programme/<uslug:slug>/", views.StrandDetailView.as_view(), name="strand"),
    path(
        "programme/<uslug:strand_slug>/<uslug:slug>/",
        views.ProjectDetailView.as_view(),
        name="project",
    ),
    path("writers/", views.WriterListView.as_view(), name="writers"),
    path("writers/<uslug:slug>/", views.WriterDetailView.as_view(), name="writer"),
    path("writings/", views.WritingListView.as_view(), name="writings"),
    path(
        "writings/rss/",
        require_safe(conditional_document(feeds.LatestWritingsFeed())),
        name="writings_rss",
    ),
    path("writings/<uslug:slug>/", views.WritingDetailView.as_view(), name="writing"),
    path("supporters/", views.SupportersView.as_view(), name="supporters"),
    path("about/", views.PageDetailView.as_view(), {"page_slug": "about"}, name="about"),
    path("privacy/", views.PageDetailView.as_view(), {"page_slug": "privacy"}, name="privacy"),
    path(
        "accessibility/",
        views.PageDetailView.as_view(),
        {"page_slug": "accessibility"},
        name="accessibility",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("pages/<uslug:slug>/", views.PageDetailView.as_view(), name="page"),
]
