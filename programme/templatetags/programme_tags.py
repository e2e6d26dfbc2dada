"""Programme widgets for templates: the supporters in the footer."""

from django import template

from programme.models import Partner

register = template.Library()


@register.inclusion_tag("includes/_supporter_list.html")
def supporter_list():
    """The published supporters, for the footer of every page (one query)."""
    return {"partners": Partner.objects.published()}
