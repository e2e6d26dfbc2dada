"""The event form staff fill in the admin: a repeat chosen in plain words, not a rule.

Staff say how an event repeats (every week, every two weeks, every month on the same
weekday or date), on which weekdays, and when it ends (on a date, or after a number of
sessions). The form writes the RFC 5545 rule behind the scenes (``events.recurrence``)
and works as plain form fields; ``static/js/admin-repeats.js`` adds a live preview.

Exceptions are chosen from the series itself: each date the repeat gives is listed
with a "skip" and a "cancel" checkbox. A skipped date has no session and is simply
absent; a cancelled date stays listed, marked cancelled, with a reason.
"""

import datetime
import json

from django import forms
from django.contrib.admin import widgets as admin_widgets
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events import recurrence
from events.models import Event, SchoolHoliday

DATE_FORMAT = "%d/%m/%Y"  # the British way, in widgets, help texts and errors alike
TIME_FORMAT = "%H:%M"
HOLIDAY_LOOKAHEAD = datetime.timedelta(days=5 * 366)
SHOWN_IN_ERRORS = 12


def _days(days) -> str:
    return ", ".join(f"{day:%d/%m/%Y}" for day in days)


class RepeatChoice:
    NONE = ""
    CHOICES = [
        ("", _("Does not repeat")),
        (recurrence.REPEATS_WEEKLY, _("Every week")),
        (recurrence.REPEATS_FORTNIGHTLY, _("Every two weeks")),
        (
            recurrence.REPEATS_MONTHLY_WEEKDAY,
            _("Every month on the same weekday (such as the first Saturday)"),
        ),
        (recurrence.REPEATS_MONTHLY_DATE, _("Every month on the same date (such as the 14th)")),
    ]
    KEEP = "keep"


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class SeriesDatesField(forms.MultipleChoiceField):
    """Dates of the series as checkboxes; a date that is not in it is refused in the
    form's clean(), with the date in words, not as an "invalid choice"."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value):
        return True

    def to_python(self, value):
        days = []
        for text in super().to_python(value):
            try:
                days.append(datetime.date.fromisoformat(text))
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a date."), code="invalid", params={"value": text}
                ) from None
        return days


EXTRA_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%d/%m/%Y"]


class ExtraDatesField(forms.CharField):
    """One-off extra dates of a series, one a line: "DD/MM/YYYY HH:MM" (24-hour), or just
    "DD/MM/YYYY" for the series' own time. Cleans to naive local datetimes, the time None
    when not given; a line it cannot read is refused by its own words, so nothing typed is
    lost (the box is shown again as it was)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 24})

    def to_python(self, value):
        text = super().to_python(value)
        found, bad = [], []
        for typed in text.splitlines():
            line = " ".join(typed.replace(",", " ").split())
            if not line:
                continue
            for fmt in EXTRA_FORMATS:
                try:
                    moment = datetime.datetime.strptime(line, fmt)  # noqa: DTZ007 (local, made aware on save)
                except ValueError:
                    continue
                found.append((moment, fmt != "%d/%m/%Y"))
                break
            else:
                bad.append(line)
        if bad:
            raise ValidationError(
                _(
                    "“%(lines)s”: write each extra date on its own line as DD/MM/YYYY and "
                    "the time on the 24-hour clock, for example 14/01/2027 16:00."
                ),
                code="invalid",
                params={"lines": "”, “".join(bad)},
            )
        return found


REPEAT_FIELDS = (
    "start",
    "end",
    "repeats",
    "weekdays",
    "ends",
    "ends_on",
    "repeat_sessions",
    "term_time_only",
    "extra",
    "skip",
    "cancel",
    "cancel_reason",
)


class RepeatPreviewWidget(forms.Widget):
    """Where the live preview of the dates appears (filled by static/js/admin-repeats.js)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_pk = None

    def render(self, name, value, attrs=None, renderer=None):
        url = reverse("admin:events_event_repeat_preview")
        if self.event_pk:
            url += f"?event={self.event_pk}"
        return format_html(
            '<div id="repeat-preview" class="repeat-preview" data-url="{}" aria-live="polite">'
            "<p>{}</p></div>",
            url,
            _("Save to see the dates here, or turn on JavaScript for a live preview."),
        )

    def value_from_datadict(self, data, files, name):
        return None


def _day_label(day: datetime.date) -> str:
    return f"{day:%a} {day:%d/%m/%Y}"


def _extra_label(day: datetime.date) -> str:
    return _("%(day)s (extra date)") % {"day": _day_label(day)}


class EventAdminForm(forms.ModelForm):
    repeats = forms.ChoiceField(
        label=_("Repeats"), choices=RepeatChoice.CHOICES, required=False, initial=""
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "For a weekly or two-weekly event; leave all empty for the start date's weekday."
        ),
    )
    ends = forms.ChoiceField(
        label=_("Ends"),
        choices=[("after", _("After a number of sessions")), ("on", _("On a date"))],
        initial="after",
        required=False,
        widget=forms.RadioSelect,
    )
    ends_on = forms.DateField(
        label=_("Last date"),
        required=False,
        input_formats=[DATE_FORMAT],
        widget=admin_widgets.AdminDateWidget(format=DATE_FORMAT),
        help_text=_("DD/MM/YYYY: no session after this date."),
        error_messages={"invalid": _("Enter the date as DD/MM/YYYY, for example 14/01/2027.")},
    )
    extra = ExtraDatesField(
        label=_("Add an extra date"),
        required=False,
        help_text=_(
            "A one-off session beside the repeat, one a line: DD/MM/YYYY and the time on "
            "the 24-hour clock (14/01/2027 16:00), or just the date for the usual time. It "
            "lasts as long as the first session. To take an extra date away, delete its "
            "line; to call it off, cancel it below."
        ),
    )
    skip = SeriesDatesField(
        label=_("Skip these dates"),
        required=False,
        help_text=_("No session that day: the date simply does not appear anywhere."),
    )
    cancel = SeriesDatesField(
        label=_("Cancel these dates"),
        required=False,
        help_text=_(
            "The date stays listed, marked as cancelled, and subscribers' calendars are told."
        ),
    )
    preview = forms.Field(
        label=_("The dates"),
        required=False,
        widget=RepeatPreviewWidget,
        help_text=_("Updated as you choose: the true number of sessions, after skips."),
    )
    cancel_reason = forms.CharField(
        label=_("Why these dates are cancelled"),
        required=False,
        max_length=300,
        help_text=_("Shown beside each date newly cancelled now; for example: the writer is ill."),
    )

    class Media:
        js = ["js/admin-repeats.js"]
        css = {"all": ["css/admin-events.css"]}

    class Meta:
        model = Event
        # The admin's fieldsets name the rest; the rule and its dates are written by clean().
        fields = ["start", "end", "term_time_only", "repeat_sessions"]
        help_texts = {
            "slug": _(
                "The end of the event's web address (/events/this-slug/), filled from the "
                "title. Changing it after publishing breaks links people have saved."
            ),
            "status": _(
                "Draft: only staff see it. Published: on the calendar. Cancelled: stays on "
                "the calendar marked cancelled, with the reason below, and subscribers' "
                "calendars are told (use the “Cancel” action in the list to be asked why)."
            ),
            "places_per_booking": _(
                "The most places one person can book at once for their group (1 to 20)."
            ),
            "booking_opens_at": _(
                "Date as DD/MM/YYYY, time on the 24-hour clock (09:00). Leave empty to open "
                "booking as soon as the event is published."
            ),
            "publish_from": _(
                "Date as DD/MM/YYYY, time on the 24-hour clock. The event appears on the "
                "site from then; leave empty to publish it straight away."
            ),
            "start": _("Date as DD/MM/YYYY, time on the 24-hour clock (16:00)."),
            "end": _(
                "Date as DD/MM/YYYY, time on the 24-hour clock (17:30). For a repeating "
                "event: the end of the first session."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start", "end", "booking_opens_at", "publish_from"):
            if name in self.fields:
                widget = admin_widgets.AdminSplitDateTime()
                widget.widgets[0].format, widget.widgets[1].format = DATE_FORMAT, TIME_FORMAT
                self.fields[name].widget = widget
                date_field, time_field = self.fields[name].fields
                date_field.input_formats = [DATE_FORMAT]
                time_field.input_formats = [TIME_FORMAT, "%H:%M:%S"]
                date_field.error_messages["invalid"] = _(
                    "Enter the date as DD/MM/YYYY, for example 14/01/2027."
                )
                time_field.error_messages["invalid"] = _(
                    "Enter the time on the 24-hour clock, for example 16:00."
                )
        self.fields["repeat_sessions"].label = _("Number of sessions")
        # The words of the date picker static/js/admin-repeats.js adds beside the box.
        self.fields["extra"].widget.attrs["data-picker-labels"] = json.dumps(
            {
                "date": str(_("Extra date")),
                "time": str(_("Time (24-hour clock)")),
                "add": str(_("Add this date")),
            }
        )
        event = self.instance
        self.fields["preview"].widget.event_pk = event.pk
        self.kept_rule = ""
        if event.pk and event.rrule:
            choices = recurrence.read_rule(event.rrule)
            if choices is None:
                self.kept_rule = event.rrule
                self.fields["repeats"].choices = [
                    *RepeatChoice.CHOICES,
                    (RepeatChoice.KEEP, _("As set up before (%(rule)s)") % {"rule": event.rrule}),
                ]
                self.initial["repeats"] = RepeatChoice.KEEP
            else:
                self.initial["repeats"] = choices["repeats"]
                self.initial["weekdays"] = choices["weekdays"]
                if event.repeat_sessions:
                    self.initial["ends"] = "after"
                else:
                    self.initial["ends"] = "on"
                    self.initial["ends_on"] = choices.get("until")
        self.initial["extra"] = "\n".join(
            f"{moment:%d/%m/%Y}" if event.all_day else f"{moment:%d/%m/%Y %H:%M}"
            for moment in recurrence.extra_starts(event)
        )
        self.initial["skip"] = [day.isoformat() for day in self._staff_skips(event)]
        self.initial["cancel"] = [day.isoformat() for day in event.cancelled_dates or []]
        self.series_dates = self._series_of(event)
        holidays = self._holidays(self.series_dates) if event.term_time_only else set()
        choices = [
            (day.isoformat(), _day_label(day)) for day in self.series_dates if day not in holidays
        ]
        self.fields["skip"].choices = choices
        extras = sorted(
            {moment.date() for moment in recurrence.extra_starts(event)} - set(self.series_dates)
        )
        self.fields["cancel"].choices = sorted(
            [*choices, *((day.isoformat(), _extra_label(day)) for day in extras)]
        )
        self.holiday_dates = sorted(holidays)

    # -- reading the saved event back

    @staticmethod
    def _series_of(event) -> list[datetime.date]:
        if not (event.pk and event.rrule and event.start):
            return []
        first = timezone.localtime(event.start).replace(tzinfo=None)
        try:
            return recurrence.rule_dates(event.rrule, first)
        except recurrence.RecurrenceError:
            return []

    @staticmethod
    def _holidays(days) -> set[datetime.date]:
        if not days:
            return set()
        return SchoolHoliday.days_between(min(days), max(days))

    def _staff_skips(self, event) -> list[datetime.date]:
        """The skips staff chose: the stored ones less the school holidays."""
        skips = list(event.exdates or [])
        if event.term_time_only and skips:
            holidays = SchoolHoliday.days_between(min(skips), max(skips))
            skips = [day for day in skips if day not in holidays]
        return skips

    # -- validation: from words to a rule

    def clean(self):
        data = super().clean()
        start = data.get("start")
        if not start or any(name in self.errors for name in REPEAT_FIELDS):
            return data
        first = timezone.localtime(start).replace(tzinfo=None)
        if not data.get("repeats"):
            self._plan = {
                "rrule": "",
                "exdates": [],
                "cancelled": [],
                "sessions": None,
                "extras": [],
            }
            if data.get("skip") or data.get("cancel"):
                self.add_error(None, _("An event that does not repeat has no dates to skip."))
            if data.get("extra"):
                self.add_error(
                    "extra",
                    _(
                        "Only a repeating event can have extra dates: choose how it repeats, "
                        "or make a separate event."
                    ),
                )
            if data.get("term_time_only"):
                self.add_error("term_time_only", _("Only a repeating event can skip holidays."))
            return data
        skips = set(data.get("skip") or [])
        holidays = (
            SchoolHoliday.days_between(first.date(), first.date() + HOLIDAY_LOOKAHEAD)
            if data.get("term_time_only")
            else set()
        )
        try:
            rule, sessions = self._rule_from_words(data, first, skipped=skips | holidays)
        except ValidationError as error:
            self.add_error(None, error)
            return data
        try:
            dates = recurrence.rule_dates(rule, first, limit=recurrence.MAX_OCCURRENCES)
        except recurrence.RecurrenceError as error:
            raise ValidationError(str(error)) from None
        cancels = set(data.get("cancel") or [])
        listed = set(dates) - skips - holidays
        extras = self._extras(data, first, listed=listed)
        self._check_exceptions(
            data, dates, skips=skips, cancels=cancels, extras={e.date() for e in extras}
        )
        if not self.errors:
            self._plan = {
                "rrule": rule,
                "exdates": sorted(skips | (holidays & set(dates))),
                "cancelled": sorted(cancels),
                "sessions": sessions,
                "dates": dates,
                "holidays": sorted(holidays & set(dates)),
                "extras": extras,
            }
        return data

    def _extras(self, data, first, *, listed) -> list[datetime.datetime]:
        """The extra dates typed, as naive local starts (the series' time where none was
        given); those before the first session or already dates of the series are refused,
        by date, in words."""
        extras, early, taken = set(), [], []
        all_day = data.get("all_day")
        for typed, timed in data.get("extra") or []:
            moment = typed
            if all_day or not timed:
                moment = datetime.datetime.combine(
                    typed.date(), datetime.time.min if all_day else first.time()
                )
            if moment <= first:
                early.append(moment.date())
            elif moment.date() in listed:
                taken.append(moment.date())
            else:
                extras.add(moment)
        if early:
            self.add_error(
                "extra",
                _(
                    "%(dates)s is not after the first session (%(first)s): an extra date "
                    "comes later. To start earlier, change the start."
                )
                % {"dates": _days(early), "first": f"{first:%d/%m/%Y %H:%M}"},
            )
        if taken:
            self.add_error(
                "extra",
                _(
                    "%(dates)s is already a date of this series: one session a day. To "
                    "move that session, skip it and add the extra date on another day."
                )
                % {"dates": _days(taken)},
            )
        days = sorted(extra.date() for extra in extras)
        twice = sorted({day for day in days if days.count(day) > 1})
        if twice:
            self.add_error(
                "extra", _("%(dates)s is given twice: one session a day.") % {"dates": _days(twice)}
            )
        return sorted(extras)

    def _rule_from_words(self, data, first, *, skipped):
        """(rule, sessions) for the repeat chosen, or a ValidationError naming the field."""
        repeats = data["repeats"]
        if repeats == RepeatChoice.KEEP:
            return self.kept_rule, None
        weekdays = data.get("weekdays") or []
        weekly = repeats in (recurrence.REPEATS_WEEKLY, recurrence.REPEATS_FORTNIGHTLY)
        if weekly and weekdays and first.weekday() not in weekdays:
            message = _(
                "The first session (%(date)s, a %(day)s) must fall on one of the days "
                "chosen: change the start date or tick its day."
            ) % {"date": f"{first:%d/%m/%Y}", "day": f"{first:%A}"}
            raise ValidationError({"weekdays": message})
        if (data.get("ends") or "after") == "on":
            until = data.get("ends_on")
            if until is None:
                raise ValidationError({"ends_on": _("Give the last date, as DD/MM/YYYY.")})
            if until < first.date():
                message = _(
                    "The last date (%(until)s) is before the first session (%(first)s)."
                ) % {"until": f"{until:%d/%m/%Y}", "first": f"{first:%d/%m/%Y}"}
                raise ValidationError({"ends_on": message})
            rule = recurrence.build_rule(
                repeats=repeats, start=first.date(), weekdays=weekdays, until=until
            )
            return rule, None
        sessions = data.get("repeat_sessions")
        if not sessions:
            raise ValidationError({"repeat_sessions": _("Say how many sessions there are.")})
        open_rule = recurrence.build_rule(repeats=repeats, start=first.date(), weekdays=weekdays)
        last = recurrence.last_of_sessions(open_rule, first, sessions=sessions, skipped=skipped)
        if last is None:
            raise ValidationError({"repeat_sessions": _("That is more sessions than we can list.")})
        rule = recurrence.build_rule(
            repeats=repeats, start=first.date(), weekdays=weekdays, until=last
        )
        return rule, sessions

    def _check_exceptions(self, data, dates, *, skips, cancels, extras=frozenset()):
        in_series = set(dates)
        shown = ", ".join(f"{day:%d/%m/%Y}" for day in dates[:SHOWN_IN_ERRORS])
        if len(dates) > SHOWN_IN_ERRORS:
            shown += "…"
        for name, chosen in (("skip", skips), ("cancel", cancels)):
            allowed = in_series | extras if name == "cancel" else in_series
            strangers = sorted(chosen - allowed)
            if strangers:
                self.add_error(
                    name,
                    _(
                        "%(dates)s is not a date of this series, so it cannot be skipped or "
                        "cancelled. The series runs on: %(series)s."
                    )
                    % {"dates": ", ".join(f"{day:%d/%m/%Y}" for day in strangers), "series": shown},
                )
        both = sorted(skips & cancels)
        if both:
            self.add_error(
                "cancel",
                _("%(dates)s: choose either skip or cancel, not both.")
                % {"dates": ", ".join(f"{day:%d/%m/%Y}" for day in both)},
            )
        newly_cancelled = cancels - set(self.instance.cancelled_dates or [])
        if newly_cancelled and not (data.get("cancel_reason") or "").strip():
            self.add_error(
                "cancel_reason",
                _("Say why: visitors and calendar subscribers see the reason beside the date."),
            )

    def _post_clean(self):
        plan = getattr(self, "_plan", None)
        if plan is not None:
            self.instance.rrule = plan["rrule"]
            self.instance.exdates = plan["exdates"]
            self.instance.cancelled_dates = plan["cancelled"]
            self.instance.repeat_sessions = plan["sessions"]
            tz = timezone.get_default_timezone()
            self.instance.extra_dates = [moment.replace(tzinfo=tz) for moment in plan["extras"]]
            reasons = {
                key: value
                for key, value in (self.instance.cancelled_reasons or {}).items()
                if datetime.date.fromisoformat(key) in plan["cancelled"]
            }
            reason = (self.cleaned_data.get("cancel_reason") or "").strip()
            for day in plan["cancelled"]:
                if reason and day.isoformat() not in reasons:
                    reasons[day.isoformat()] = reason
            self.instance.cancelled_reasons = reasons
        super()._post_clean()


class SchoolHolidayAdminForm(forms.ModelForm):
    """School holidays in British dates, in the widget, the help text and the errors."""

    class Meta:
        model = SchoolHoliday
        fields = ["name", "first_day", "last_day"]
        help_texts = {
            "first_day": _(
                "The first day off school, as DD/MM/YYYY. Saving re-plans every “term time "
                "only” series: its dates in the holiday are skipped."
            ),
            "last_day": _("The last day off school, as DD/MM/YYYY (a Friday, usually)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_day", "last_day"):
            field = self.fields[name]
            field.input_formats = [DATE_FORMAT]
            field.widget = admin_widgets.AdminDateWidget(format=DATE_FORMAT)
            field.error_messages["invalid"] = _(
                "Enter the date as DD/MM/YYYY, for example 16/02/2027."
            )
