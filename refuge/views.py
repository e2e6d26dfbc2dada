"""Site-wide views that belong to no app: health, robots, errors."""

import logging

from django.db import Error, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import share_cards
from core.caching.keys import reads_query

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """200 when PostgreSQL answers, 503 when it does not (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error:  # any driver error: a dropped connection is an InterfaceError
        logger.warning("Health check: database unavailable")
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


@require_safe
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "",
        f"Sitemap: {sitemap_url}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
@require_safe
@reads_query()  # nothing: ?anything is the same card
def share_card(request, token):
    """A page's title on the portal's card (core/share_cards.py); 404 for any other words."""
    card = share_cards.rendered(token)
    if card is None:
        raise Http404("No such card.")
    response = HttpResponse(card, content_type="image/png")
    # The address carries the title: a new title is a new address, so this one never changes.
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the hashed file."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context on purpose: the error may have come
    # from a context processor or the database, so nothing here may query.
    return render(request, "500.html", status=500, context={})
