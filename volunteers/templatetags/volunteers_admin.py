"""Admin home widget: how many volunteer applications await a coordinator."""

from django import template

from volunteers.models import VolunteerApplication

register = template.Library()


@register.simple_tag
def awaiting_volunteer_applications(user) -> int | None:
    """How many confirmed applications nobody has acted on; None if ``user`` may not see them."""
    if not user.has_perm("volunteers.view_volunteerapplication"):
        return None
    return VolunteerApplication.objects.awaiting().count()
