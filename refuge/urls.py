from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from programme.views import HomeView
from refuge import views
from refuge.sitemaps import sitemaps

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("", include("programme.urls")),
    path("events/", include("events.urls")),
    path("volunteer/", include("volunteers.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="sitemap",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
]

handler404 = "refuge.views.page_not_found"
handler500 = "refuge.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static as media_static

    urlpatterns += media_static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
