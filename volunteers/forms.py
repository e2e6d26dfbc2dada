"""The volunteer sign-up form: short, kind, and clear about every mistake."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.sanitise import strip_bidi_controls
from volunteers.models import Availability, DBSCheck, VolunteerApplication, VolunteerRole

# Suggestions only: anyone may type any language.
LANGUAGE_SUGGESTIONS = [
    _("Amharic"),
    _("Arabic"),
    _("Bengali"),
    _("British Sign Language"),
    _("Cantonese"),
    _("Dari"),
    _("English"),
    _("Farsi (Persian)"),
    _("French"),
    _("German"),
    _("Kurdish"),
    _("Lithuanian"),
    _("Mandarin"),
    _("Pashto"),
    _("Polish"),
    _("Portuguese"),
    _("Punjabi"),
    _("Romanian"),
    _("Russian"),
    _("Somali"),
    _("Spanish"),
    _("Tamil"),
    _("Tigrinya"),
    _("Turkish"),
    _("Ukrainian"),
    _("Urdu"),
]
MAX_LANGUAGES = 20

# A full UK postcode; we keep only its district (the part before the space).
UK_POSTCODE = re.compile(r"^\s*([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\s*$", re.IGNORECASE)
PHONE_CHARACTERS = re.compile(r"^\+?[0-9\s().\-]+$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


def _privacy_help_text():
    return format_html(
        '{} <a href="{}">{}</a>',
        _("We keep your details only to arrange volunteering, as our"),
        reverse_lazy("programme:privacy"),
        _("privacy notice explains."),
    )


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        if obj.needs_dbs_check:
            return _("%(role)s (needs a DBS check)") % {"role": obj.title}
        return obj.title


class LanguagesField(forms.CharField):
    """Languages typed freely, separated by commas; stored as a list."""

    def to_python(self, value):
        text = super().to_python(value)
        languages, seen = [], set()
        for part in re.split(r"[,;\n、，]+", strip_bidi_controls(text)):
            language = " ".join(part.split())
            if language and language.casefold() not in seen:
                seen.add(language.casefold())
                languages.append(language)
        return languages

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_LANGUAGES:
            raise forms.ValidationError(
                _("Please list no more than %(count)d languages.") % {"count": MAX_LANGUAGES}
            )
        if any(len(language) > 60 for language in value):
            raise forms.ValidationError(
                _("Each language should be no more than 60 characters. Separate them with commas.")
            )

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value


class VolunteerApplicationForm(forms.ModelForm):
    roles = RoleChoiceField(
        label=_("Which roles interest you?"),
        queryset=VolunteerRole.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose as many as you like."),
        error_messages={"required": _("Choose at least one role that interests you.")},
    )
    languages = LanguagesField(
        label=_("Languages you speak (optional)"),
        required=False,
        max_length=1000,
        help_text=_("Separate languages with commas, for example: English, Arabic, Farsi."),
        widget=forms.TextInput(attrs={"list": "language-suggestions", "autocomplete": "off"}),
    )
    availability = forms.TypedMultipleChoiceField(
        label=_("When could you help?"),
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply."),
        error_messages={"required": _("Choose at least one time when you could help.")},
    )
    dbs_check = forms.ChoiceField(
        label=_("Do you hold a current DBS check?"),
        choices=DBSCheck.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Some roles with children and young people need one; we can arrange it. "
            "Please do not send us your certificate or its number."
        ),
        error_messages={"required": _("Tell us whether you hold a current DBS check.")},
    )
    is_adult = forms.BooleanField(
        label=_("I am 18 or over"),
        required=False,
        help_text=_(
            "Our volunteers are adults. If you are younger, see below for what you can join."
        ),
    )
    consent = forms.BooleanField(
        label=_("I agree to you keeping and using my details to arrange volunteering"),
        required=False,
        help_text=lazy(_privacy_help_text, str)(),
    )
    news_opt_in = forms.BooleanField(
        label=_("Send me occasional news about the programme (optional)"),
        required=False,
        help_text=_("Separate from your application: you can say no and still volunteer."),
    )
    # The honeypot: hidden from everyone, assistive technology included. People leave it empty.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    ticket = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = VolunteerApplication
        fields = [
            "name",
            "email",
            "phone",
            "area",
            "roles",
            "languages",
            "availability",
            "message",
            "dbs_check",
            "news_opt_in",
        ]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "phone": _("Phone number (optional)"),
            "area": _("Where do you live?"),
            "message": _("Relevant experience, or anything you would like to tell us (optional)"),
        }
        help_texts = {
            "name": _("However you like to be called, in any script."),
            "email": _("We will send you a link to confirm it."),
            "phone": _("UK or international, for example 01603 123456 or +44 1603 123456."),
            "area": _("Your town or village, or the first part of your postcode, for example NR2."),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "email": {
                "required": _("Enter your email address."),
                "invalid": _("Enter an email address like name@example.com."),
            },
            "area": {"required": _("Enter your area or postcode district.")},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "area": forms.TextInput(attrs={"autocomplete": "address-level2"}),
            "message": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].queryset = VolunteerRole.objects.current().order_by("order", "title")
        self.fields["message"].max_length = 2000
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(_("About you"), "name", "email", "phone", "area"),
            Fieldset(
                _("How you would like to help"),
                "roles",
                "languages",
                HTML('{% include "volunteers/includes/_language_suggestions.html" %}'),
                "availability",
                "message",
                "dbs_check",
            ),
            Fieldset(
                _("Age and consent"),
                "is_adult",
                HTML('{% include "volunteers/includes/_under_18.html" %}'),
                "consent",
                "news_opt_in",
            ),
            Div("website", css_class="form-trap", aria_hidden="true"),
            "ticket",
        )

    # ---- field cleaning
    def clean_name(self):
        name = strip_bidi_controls(CONTROL_CHARACTERS.sub("", self.cleaned_data["name"])).strip()
        if not any(character.isalpha() for character in name):
            raise forms.ValidationError(_("Enter your name using letters, in any script."))
        return " ".join(name.split())

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if not phone:
            return ""
        digits = re.sub(r"\D", "", phone)
        if not PHONE_CHARACTERS.match(phone) or not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                _("Enter a phone number with 7 to 15 digits, like 01603 123456 or +44 1603 123456.")
            )
        return phone

    def clean_area(self):
        area = " ".join(
            strip_bidi_controls(CONTROL_CHARACTERS.sub("", self.cleaned_data["area"])).split()
        )
        if not area:
            raise forms.ValidationError(_("Enter your area or postcode district."))
        if match := UK_POSTCODE.match(area):
            # We only need the district: keep "NR2", not the whole postcode.
            return match.group(1).upper()
        return area

    def clean_message(self):
        return strip_bidi_controls(self.cleaned_data["message"]).strip()

    def clean_is_adult(self):
        if not self.cleaned_data["is_adult"]:
            raise forms.ValidationError(
                _(
                    "To volunteer with us you need to be 18 or over. If you are younger, "
                    "you would be very welcome in our projects for young people, below."
                )
            )
        return True

    def clean_consent(self):
        if not self.cleaned_data["consent"]:
            raise forms.ValidationError(
                _("To apply, tick the box to agree to us keeping and using your details.")
            )
        return True

    def validate_unique(self):
        # Deliberately no uniqueness errors: "this email has applied" would disclose it.
        # volunteer_application_submit() recognises a returning address instead.
        pass

    def validate_constraints(self):
        # The same, for the case-insensitive unique email; is_adult is checked above.
        pass

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every error, in the order the fields appear."""
        items = [("volunteer-form", message) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = bound.id_for_label or bound.auto_id
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                anchor = f"{bound.auto_id}_0"
            items.extend((anchor, message) for message in self.errors[name])
        return items
