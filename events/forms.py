"""Forms of the calendar: the public events filter and the admin's cancel-with-a-reason step."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.publishing import Audience
from events.models import EventType


class EventFilterForm(forms.Form):
    """The upcoming list's filters: a plain GET form, its state in the URL.

    Unknown values (an old link, a typo) are dropped, not fatal: the list falls back to
    the filters that do make sense.
    """

    strand = forms.ChoiceField(
        label=_("Strand"), required=False, widget=forms.Select(attrs={"class": "form-select"})
    )
    audience = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[("", _("Everyone")), *Audience.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("Any type")), *EventType.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    free = forms.BooleanField(
        label=_("Free events only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
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

    @property
    def is_filtered(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class CancelEventForm(forms.Form):
    """The admin's "cancel" action asks why; the reason is shown to the public."""

    reason = forms.CharField(
        label=_("Reason, shown on the event page and sent to calendars"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )
