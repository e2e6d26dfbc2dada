"""The booking form: name, email, places, access needs (optional), consent. Short and clear."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.sanitise import strip_bidi_controls
from volunteers.forms import CONTROL_CHARACTERS


def _privacy_help_text():
    return format_html(
        '{} <a href="{}">{}</a>',
        _("We keep your name and email only to run your booking, as our"),
        reverse_lazy("programme:privacy"),
        _("privacy notice explains."),
    )


def _access_help_text():
    return _(
        "Optional. For example: step-free access, a seat near the front, a quiet space, "
        "a hearing loop. Only the staff running this event see it, and we delete it "
        "%(days)d days after the date."
    )


class BookingForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("However you like to be called, in any script."),
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("We will send you a link to confirm your booking."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    places = forms.TypedChoiceField(
        label=_("How many places?"),
        coerce=int,
        choices=(),
        error_messages={
            "required": _("Choose how many places you need."),
            "invalid_choice": _("Choose how many places you need from the list."),
        },
    )
    access_needs = forms.CharField(
        label=_("Access needs (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree to you keeping and using my details to run my booking"),
        required=False,
        help_text=lazy(_privacy_help_text, str)(),
    )
    # The honeypot: hidden from everyone, assistive technology included. People leave it empty.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    ticket = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, most_places: int = 1, access_needs_days: int = 7, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].choices = [
            (
                number,
                ngettext_lazy("%(count)d place", "%(count)d places", number) % {"count": number},
            )
            for number in range(1, most_places + 1)
        ]
        self.fields["access_needs"].help_text = _access_help_text() % {"days": access_needs_days}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("Your booking"), "name", "email", "places", "access_needs", "consent"),
            Div("website", css_class="form-trap", aria_hidden="true"),
            "ticket",
        )

    def clean_name(self):
        name = strip_bidi_controls(CONTROL_CHARACTERS.sub("", self.cleaned_data["name"])).strip()
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError(_("Enter your name using letters, in any script."))
        return " ".join(name.split())

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_access_needs(self):
        return strip_bidi_controls(
            CONTROL_CHARACTERS.sub(
                lambda match: match.group() if match.group() in "\n\t" else "",
                self.cleaned_data["access_needs"],
            )
        ).strip()

    def clean_consent(self):
        if not self.cleaned_data["consent"]:
            raise forms.ValidationError(
                _("To book, tick the box to agree to us keeping and using your details.")
            )
        return True

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every error, in the order the fields appear."""
        items = [("booking-form", message) for message in self.non_field_errors()]
        for name in self.fields:
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = bound.id_for_label or bound.auto_id
            items.extend((anchor, message) for message in self.errors[name])
        return items


class PlacesForm(forms.Form):
    """Change the number of places on the manage page."""

    places = forms.TypedChoiceField(label=_("Number of places"), coerce=int, choices=())

    def __init__(self, *args, most_places: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].choices = [(n, str(n)) for n in range(1, most_places + 1)]
