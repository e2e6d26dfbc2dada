from django.views.generic import TemplateView


class VolunteerView(TemplateView):
    """Why and how to volunteer; the sign-up form arrives with the volunteers issue."""

    template_name = "volunteers/volunteer.html"
