"""The portal's addresses: each app's (per language), the admin and staff password reset, and
the site's own."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from core.caching.responses import conditional_document
from programme.views import HomeView
from refuge import admin_site, views
from refuge.sitemaps import sitemaps

# Visitors' pages, in every interface language: English unprefixed (every address from
# before the translations still works), Arabic at /ar/…, Persian at /fa/…. The language
# comes from the address alone, never from Accept-Language (docs/translations.md).
urlpatterns = i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    # The contact form (with the text of the "contact" page above it).
    path("contact/", include("volunteers.contact_urls")),
    path("", include("programme.urls")),
    path("events/", include("events.urls")),
    path("volunteer/", include("volunteers.urls")),
    path("bookings/", include("bookings.urls")),
    prefix_default_language=False,
)

# The admin (in English) and machine documents: one address each, unprefixed.
urlpatterns += [
    # Staff password reset. Django's views answer the same whether or not an
    # address belongs to anyone, so they reveal no accounts.
    path(
        "admin/password_reset/",
        admin_site.StaffPasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "admin/password_reset/done/",
        admin_site.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "admin/reset/<uidb64>/<token>/",
        admin_site.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "admin/reset/done/",
        admin_site.StaffPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path(
        "sitemap.xml",
        # No secret in it, so gzipped (171 KB of XML is 5 KB) and kept that way.
        require_safe(conditional_document(sitemap)),
        {"sitemaps": sitemaps()},
        name="sitemap",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    path("share/<str:token>.png", views.share_card, name="share-card"),
]

handler404 = "refuge.views.page_not_found"
handler500 = "refuge.views.server_error"

if settings.SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    # MEDIA_ROOT only: withheld files live outside it (core.E001) and are never served.
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
