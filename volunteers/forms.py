"""The volunteer sign-up form: short, kind, and clear about every mistake."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.sanitise import strip_bidi_controls
from volunteers.models import (
    Availability,
    ContactMessage,
    DBSCheck,
    VolunteerApplication,
    VolunteerRole,
)
from volunteers.spam import SpamTrapForm

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


def _contact_privacy_help_text():
    return format_html(
        '{} <a href="{}">{}</a>',
        _("We keep your message only to answer it, then delete it, as our"),
        reverse_lazy("programme:privacy"),
        _("privacy notice explains."),
    )


class RoleCheckboxes(forms.CheckboxSelectMultiple):
    """Each role's box says whether it needs a DBS check, for volunteer-form.js."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.needs_dbs_check:
            option["attrs"]["data-needs-dbs"] = "true"
        return option


class ListedRolesIterator(ModelChoiceIterator):
    """The roles the form already read (``RoleChoiceField.listed``), not a second query."""

    def __iter__(self):
        listed = getattr(self.field, "listed", None)
        if listed is None:
            yield from super().__iter__()
            return
        for role in listed:
            yield self.choice(role)

    def __len__(self):
        listed = getattr(self.field, "listed", None)
        return super().__len__() if listed is None else len(listed)


class RoleChoiceField(forms.ModelMultipleChoiceField):
    iterator = ListedRolesIterator
    listed = None

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


class VolunteerApplicationForm(forms.ModelForm, SpamTrapForm):
    form_anchor = "volunteer-form"

    roles = RoleChoiceField(
        label=_("Which roles interest you?"),
        queryset=VolunteerRole.objects.none(),
        widget=RoleCheckboxes,
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
    # Asked only of people who choose a role that needs a check (see __init__ and clean).
    dbs_check = forms.ChoiceField(
        label=_("Do you hold a current DBS check?"),
        choices=DBSCheck.choices,
        required=False,
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
        roles_field = self.fields["roles"]
        roles_field.queryset = VolunteerRole.objects.current().order_by("order", "title")
        # One query for the checkboxes and the DBS question's wording both.
        roles_field.listed = list(roles_field.queryset)
        self.dbs_role_titles = [role.title for role in roles_field.listed if role.needs_dbs_check]
        if self.dbs_role_titles:
            # Without JavaScript the question is always there, saying whom it is for.
            self.fields["dbs_check"].label = _(
                "Only if you chose %(roles)s: do you hold a current DBS check?"
            ) % {"roles": list_of_names(self.dbs_role_titles)}
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
                # volunteer-form.js hides the question until a chosen role needs it, and
                # says so in the status message (outside it, so it is heard either way).
                HTML('<p class="visually-hidden" id="dbs-status" role="status"></p>'),
                Div(
                    "dbs_check",
                    css_id="dbs-question",
                    css_class="dbs-question",
                    data_shown_message=_(
                        "You chose a role that needs a DBS check: a question about it "
                        "is now further down the form."
                    ),
                    data_hidden_message=_(
                        "None of the roles you chose needs a DBS check: that question is "
                        "no longer shown."
                    ),
                ),
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
        if not self.dbs_role_titles:
            # No role needs a check: the question is not asked at all.
            del self.fields["dbs_check"]
            self.helper.layout = Layout(
                *(
                    _without(item, "dbs-question") if isinstance(item, Fieldset) else item
                    for item in self.helper.layout.fields
                )
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

    def clean(self):
        cleaned = super().clean()
        roles = cleaned.get("roles")
        needs_check = bool(roles) and any(role.needs_dbs_check for role in roles)
        if not needs_check:
            # Not asked of this person: keep no answer (a hidden, stale one included).
            cleaned["dbs_check"] = ""
        elif not cleaned.get("dbs_check") and "dbs_check" not in self.errors:
            self.add_error("dbs_check", self.fields["dbs_check"].error_messages["required"])
        return cleaned

    def validate_unique(self):
        # Deliberately no uniqueness errors: "this email has applied" would disclose it.
        # volunteer_application_submit() recognises a returning address instead.
        pass

    def validate_constraints(self):
        # The same, for the case-insensitive unique email; is_adult is checked above.
        pass


def list_of_names(names: list[str]) -> str:
    """ "A", "A or B", "A, B or C": in the interface's language."""
    if len(names) == 1:
        return names[0]
    return _("%(names)s or %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _without(fieldset: Fieldset, css_id: str) -> Fieldset:
    """The fieldset less the layout item ``css_id`` (and its status message)."""
    fieldset.fields = [
        item
        for item in fieldset.fields
        if getattr(item, "css_id", None) != css_id and "dbs-status" not in getattr(item, "html", "")
    ]
    return fieldset


class ContactMessageForm(forms.ModelForm, SpamTrapForm):
    """The contact page's form: who you are, what it is about, and your message."""

    form_anchor = "contact-form"

    consent = forms.BooleanField(
        label=_("I agree to you keeping my message and details to answer it"),
        required=False,
        help_text=lazy(_contact_privacy_help_text, str)(),
    )

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "subject", "message"]
        labels = {
            "name": _("Your name"),
            "email": _("Email address"),
            "subject": _("Subject (optional)"),
            "message": _("Your message"),
        }
        help_texts = {
            "name": _("However you like to be called, in any script."),
            "email": _("We will reply to this address."),
        }
        error_messages = {
            "name": {"required": _("Enter your name.")},
            "email": {
                "required": _("Enter your email address."),
                "invalid": _("Enter an email address like name@example.com."),
            },
            "message": {"required": _("Write your message.")},
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "message": forms.Textarea(attrs={"rows": 7}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].max_length = 4000
        self.fields["message"].widget.attrs.pop("maxlength", None)
        self.fields["message"].error_messages["max_length"] = _(
            "Please keep your message to %(limit_value)d characters (it has %(show_value)d)."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "name",
            "email",
            "subject",
            "message",
            "consent",
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

    def clean_subject(self):
        subject = strip_bidi_controls(CONTROL_CHARACTERS.sub("", self.cleaned_data["subject"]))
        return " ".join(subject.split())

    def clean_message(self):
        message = strip_bidi_controls(self.cleaned_data["message"]).strip()
        if not message:
            raise forms.ValidationError(_("Write your message."))
        return message

    def clean_consent(self):
        if not self.cleaned_data["consent"]:
            raise forms.ValidationError(
                _("To send your message, tick the box to agree to us keeping it to answer you.")
            )
        return True
