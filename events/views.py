from django.views.generic import TemplateView


class CalendarView(TemplateView):
    """The Calendar of Events' front door until the events issue lands."""

    template_name = "events/calendar_soon.html"
