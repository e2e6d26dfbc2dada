"""Forms of the calendar: the public events filter and the admin's cancel-with-a-reason step."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import widgets
from core.publishing import Audience
from events.models import EventType, local_span


class EventFilterForm(forms.Form):
    """What both the upcoming list and the month view filter by: a plain GET form, its
    state in the URL.

    Unknown values (an old link, a typo) are dropped, not fatal: the list falls back to
    the filters that do make sense.
    """

    strand = forms.ChoiceField(
        label=_("Strand"), required=False, widget=widgets.Select(attrs={"class": "form-select"})
    )
    audience = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
        widget=widgets.Select(attrs={"class": "form-select"}),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Any type")), *EventType.choices],
        widget=widgets.Select(attrs={"class": "form-select"}),
    )
    free = forms.BooleanField(
        label=_("Free events only"),
        required=False,
        widget=widgets.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, strands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.strands = {strand.slug: strand for strand in strands}
        self.fields["strand"].choices = [
            ("", _("All strands")),
            *((strand.slug, strand.title) for strand in strands),
        ]

    @classmethod
    def from_query(cls, query, *, strands) -> "EventFilterForm":
        """A form showing the valid part of `query`; invalid values fall away."""
        strands = list(strands)
        form = cls(query, strands=strands)
        if form.is_valid():
            return form
        valid = {
            name: value for name, value in form.cleaned_data.items() if name not in form.errors
        }
        form = cls(
            {name: value for name, value in valid.items() if value not in ("", False)},
            strands=strands,
        )
        form.is_valid()
        return form

    def apply(self, occurrences):
        data = self.cleaned_data
        if data.get("strand"):
            occurrences = occurrences.for_strand(self.strands[data["strand"]])
        if data.get("audience"):
            occurrences = occurrences.for_audience(data["audience"])
        if data.get("type"):
            occurrences = occurrences.of_type(data["type"])
        if data.get("free"):
            occurrences = occurrences.free()
        return occurrences

    def filters(self) -> dict:
        """What ``apply`` filters by, as ``events.models.upcoming_cards`` takes it."""
        data = self.cleaned_data
        strand = self.strands[data["strand"]].pk if data.get("strand") else None
        return {
            "strand": strand,
            "audience": data.get("audience") or None,
            "event_type": data.get("type") or None,
            "free": bool(data.get("free")),
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)

    def query(self, names=None) -> dict[str, str]:
        """The valid filters as they are spelled in a URL (for links that keep them)."""
        names = names or self.fields
        spelled = {}
        for name in names:
            value = self.cleaned_data.get(name)
            if value is True:
                spelled[name] = "on"
            elif isinstance(value, datetime.date):
                spelled[name] = value.isoformat()
            elif value:
                spelled[name] = value
        return spelled


class When(models.TextChoices):
    THIS_WEEK = "this-week", _("This week")
    THIS_WEEKEND = "this-weekend", _("This weekend")
    THIS_MONTH = "this-month", _("This month")
    NEXT_MONTH = "next-month", _("Next month")


# The calendar answers for these years; a date outside them is dropped, not a 500.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)


def _month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return following - datetime.timedelta(days=1)


def date_range(when: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The local days (first, last) a quick date choice covers, seen from `today`.

    Weeks run Monday to Sunday; "this weekend" is the coming Saturday and Sunday (or what is
    left of it on a Saturday or Sunday).
    """
    if when == When.THIS_WEEK:
        return today, today + datetime.timedelta(days=6 - today.weekday())
    if when == When.THIS_WEEKEND:
        sunday = today + datetime.timedelta(days=6 - today.weekday())
        return max(today, sunday - datetime.timedelta(days=1)), sunday
    if when == When.THIS_MONTH:
        return today, _month_end(today)
    if when == When.NEXT_MONTH:
        first = _month_end(today) + datetime.timedelta(days=1)
        return first, _month_end(first)
    raise ValueError(when)


class DateInput(widgets.DateInput):
    input_type = "date"  # the browser's own date picker: no JavaScript of ours

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%d")


class UpcomingFilterForm(EventFilterForm):
    """The upcoming list's filters: the month view's, plus when (a quick choice or dates)."""

    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Any date")), *When.choices],
        widget=widgets.Select(attrs={"class": "form-select"}),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=DateInput(),
    )

    def clean_start(self):
        return self._within_calendar("start")

    def clean_end(self):
        return self._within_calendar("end")

    def _within_calendar(self, name):
        day = self.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError(_("The calendar does not reach that year."))
        return day

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def days(self, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
        """The first and last local day asked for (None: open); dates beat a quick choice."""
        data = self.cleaned_data
        if data.get("start") or data.get("end"):
            return data.get("start"), data.get("end")
        if data.get("when"):
            return date_range(data["when"], today)
        return None, None

    def apply(self, occurrences, *, today: datetime.date | None = None):
        occurrences = super().apply(occurrences)
        first, last = self.days(today or timezone.localdate())
        if first or last:
            occurrences = occurrences.between(first or FIRST_DAY, last or LAST_DAY)
        return occurrences

    def filters(self, *, today: datetime.date | None = None) -> dict:
        first, last = self.days(today or timezone.localdate())
        if not (first or last):
            return super().filters()
        start, end = local_span(first or FIRST_DAY, last or LAST_DAY)
        return {**super().filters(), "start": start, "end": end}

    def quick_links(self, base_url: str) -> list[tuple[str, str, bool]]:
        """(label, URL, chosen) for each quick date choice, keeping the other filters."""
        keep = self.query(list(EventFilterForm.base_fields))
        chosen = self.cleaned_data.get("when") if not self.query(["start", "end"]) else None
        return [
            (label, f"{base_url}?{urlencode({**keep, 'when': value})}", value == chosen)
            for value, label in When.choices
        ]

    def audience_links(self, base_url: str) -> list[tuple[str, str, bool]]:
        """(label, URL, chosen) for each audience, keeping the other filters: with the quick
        dates beside them, "this month, for young people" is two taps from the list."""
        keep = {name: value for name, value in self.query().items() if name != "audience"}
        chosen = self.query().get("audience")
        return [
            (label, f"{base_url}?{urlencode({**keep, 'audience': value})}", value == chosen)
            for value, label in Audience.choices
        ]


class CancelEventForm(forms.Form):
    """The admin's "cancel" action asks why; the reason is shown to the public."""

    reason = forms.CharField(
        label=_("Reason, shown on the event page and sent to calendars"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
