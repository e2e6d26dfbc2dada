"""Calendar widgets for templates: upcoming events, JSON-LD, webcal:// subscription links."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from events.models import Occurrence

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("events/includes/_upcoming.html", takes_context=True)
def upcoming_events(context, strand=None, project=None, limit=3):
    """The next few dates, for the home, strand and project pages: one query."""
    occurrences = Occurrence.objects.published().upcoming().for_cards()
    if strand is not None:
        occurrences = occurrences.for_strand(strand)
    if project is not None:
        occurrences = occurrences.for_project(project)
    return {
        "request": context.get("request"),
        "occurrences": list(occurrences[:limit]),
        "strand": strand,
        "project": project,
    }


@register.filter
def ld_json(data):
    """Render a dict as a schema.org <script type="application/ld+json"> block.

    Data, not code, so our Content-Security-Policy allows it; escaped so that no
    string in it can break out of the element.
    """
    data = dict(data)  # also unwraps a lazy object
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def webcal_url(context, path):
    """A webcal:// address for a feed, so a click subscribes rather than downloads."""
    absolute = context["request"].build_absolute_uri(str(path))
    return "webcal://" + absolute.split("://", 1)[1]
