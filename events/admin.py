"""The calendar in the admin: events and their dates, venues; publish, cancel, duplicate."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import FormattedTextAdmin, TranslatedAdmin
from core.publishing import publish_records, unpublish_records
from events.admin_forms import REPEAT_FIELDS, EventAdminForm, SchoolHolidayAdminForm
from events.forms import CancelEventForm
from events.models import BookingMode, Event, Occurrence, SchoolHoliday, Venue
from events.services import (
    event_cancel,
    event_duplicate,
    holiday_days,
    replan_term_time_series,
)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "website"]
    search_fields = ["name", "address", "postcode"]


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(admin.ModelAdmin):
    """The school holidays that "term time only" series skip (Norfolk's, seeded)."""

    form = SchoolHolidayAdminForm
    list_display = ["name", "first_day_column", "last_day_column"]
    search_fields = ["name"]
    date_hierarchy = "first_day"

    def save_model(self, request, obj, form, change):
        before = holiday_days()
        super().save_model(request, obj, form, change)
        self._replan(request, before)

    def delete_model(self, request, obj):
        before = holiday_days()
        super().delete_model(request, obj)
        self._replan(request, before)

    def delete_queryset(self, request, queryset):
        before = holiday_days()
        super().delete_queryset(request, queryset)
        self._replan(request, before)

    def _replan(self, request, before) -> None:
        """Every "term time only" series follows the holidays, as if saved again."""
        changed = replan_term_time_series(holidays_before=before)
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d term-time series now follows the new holidays: %(titles)s. "
                    "Dates people had booked stay listed, marked cancelled, and they are told.",
                    "%(count)d term-time series now follow the new holidays: %(titles)s. "
                    "Dates people had booked stay listed, marked cancelled, and they are told.",
                    len(changed),
                )
                % {"count": len(changed), "titles": ", ".join(e.title for e in changed[:10])},
                messages.INFO,
            )

    @admin.display(description=_("from"), ordering="first_day")
    def first_day_column(self, holiday):
        return f"{holiday.first_day:%d/%m/%Y}"

    @admin.display(description=_("to"), ordering="last_day")
    def last_day_column(self, holiday):
        return f"{holiday.last_day:%d/%m/%Y}"


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        if self.value() == "upcoming":
            return queryset.upcoming()
        if self.value() == "past":
            return queryset.past()
        return queryset


class OccurrenceInline(admin.TabularInline):
    """The dates an event's rule produces, read-only: edit the rule, not the dates. For an
    event booked on this site, each date's number of places can differ from the event's."""

    model = Occurrence
    fields = ["date_column", "times_column", "state_column", "capacity"]
    readonly_fields = ["date_column", "times_column", "state_column"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("upcoming dates (from the repeat)")

    @admin.display(description=_("date"))
    def date_column(self, occurrence):
        return f"{occurrence.local_start:%a %d/%m/%Y}"

    @admin.display(description=_("time"))
    def times_column(self, occurrence):
        return f"{occurrence.local_start:%H:%M}–{occurrence.local_end:%H:%M}"

    @admin.display(description=_("on or off"))
    def state_column(self, occurrence):
        if not occurrence.is_cancelled:
            return _("Going ahead")
        reason = (occurrence.event.cancelled_reasons or {}).get(
            f"{occurrence.local_start:%Y-%m-%d}", ""
        )
        return _("Cancelled: %(reason)s") % {"reason": reason} if reason else _("Cancelled")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = Occurrence.objects.upcoming().values("pk")
        return queryset.filter(pk__in=ids).select_related("event")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is None or obj.booking != BookingMode.PORTAL:
            fields.remove("capacity")  # places only mean something for bookings here
        return fields


@admin.register(Event)
class EventAdmin(TranslatedAdmin, FormattedTextAdmin):
    form = EventAdminForm
    # Columns chosen to fit 1024 px beside the filters (tests/browser/test_events.py) and
    # 1280 px; long titles wrap. The next date says when; the first date is in the
    # drill-down above the list (date_hierarchy) and on the form.
    list_display = [
        "title",
        "strand",
        "status",
        "is_recurring_column",
        "next_date",
    ]
    list_filter = ["strand", "event_type", "status", WhenFilter, "location"]
    list_select_related = ["strand"]
    search_fields = ["title", "summary", "body", "venue__name"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "project"]
    readonly_fields = ["sequence", "uid", "created_at", "updated_at"]
    actions = ["publish", "unpublish", "cancel", "duplicate"]
    inlines = [OccurrenceInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "strand",
                    "project",
                    "event_type",
                    "audiences",
                    "body",
                    "image",
                    "image_alt",
                ]
            },
        ),
        (
            _("When"),
            {
                "fields": [
                    "start",
                    "end",
                    "all_day",
                    "repeats",
                    "weekdays",
                    "ends",
                    "repeat_sessions",
                    "ends_on",
                    "term_time_only",
                    "extra",
                    "preview",
                    "skip",
                    "cancel",
                    "cancel_reason",
                ],
                "description": _(
                    "Dates as DD/MM/YYYY, times on the 24-hour clock, in Norwich time. For a "
                    "repeating event, give the first session's start and end, then say how it "
                    "repeats. After saving, each date is listed below with a box to skip it "
                    "(no session, not shown) or cancel it (shown as cancelled, with a reason)."
                ),
            },
        ),
        (
            _("Where"),
            {
                "fields": ["location", "venue", "online_url"],
                "description": _(
                    "Choose “Venue announced on booking” when a writer's whereabouts must not "
                    "be published: no address reaches the page, the feeds or search engines."
                ),
            },
        ),
        (
            _("Price and booking"),
            {
                "fields": [
                    "is_free",
                    "price",
                    "price_note",
                    "booking",
                    "booking_url",
                    "capacity",
                    "places_per_booking",
                    "booking_opens_at",
                    "booking_closes_hours",
                    "reminder_hours",
                    "venue_release_hours",
                    "capacity_note",
                ]
            },
        ),
        (
            _("Publishing"),
            {"fields": ["status", "cancellation_reason", "publish_from"]},
        ),
        (_("History"), {"fields": ["sequence", "uid", "created_at", "updated_at"]}),
    ]

    def save_formset(self, request, form, formset, change):
        """The dates are the rule's: only a date's number of places is saved from the list,
        and only for the dates the save kept (a date the new rule dropped is gone)."""
        if formset.model is not Occurrence:
            return super().save_formset(request, form, formset, change)
        for date_form in formset.initial_forms:
            if "capacity" in date_form.changed_data and date_form.instance.pk:
                Occurrence.objects.filter(pk=date_form.instance.pk, event=form.instance).update(
                    capacity=date_form.cleaned_data.get("capacity")
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None

    def _view_only(self, request, obj) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._view_only(request, obj):
            # Seen, not changed (a Booking coordinator): the stored fields, no repeat editor.
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._view_only(request, obj):
            return fieldsets
        editor = set(EventAdminForm.declared_fields)
        shown = []
        for name, options in fieldsets:
            fields = [field for field in options["fields"] if field not in editor]
            if "start" in fields:
                fields += ["rrule", "exdates", "extra_dates", "cancelled_dates"]
            shown.append((name, {**options, "fields": fields}))
        return shown

    def get_queryset(self, request):
        now = timezone.now()
        upcoming = Occurrence.objects.filter(event=OuterRef("pk"), end__gte=now).order_by("start")
        return (
            super()
            .get_queryset(request)
            .annotate(
                next_start=upcoming.values("start")[:1],
                has_upcoming=Exists(upcoming),
            )
        )

    def get_urls(self):
        preview = path(
            "repeat-preview/",
            self.admin_site.admin_view(self.repeat_preview),
            name="events_event_repeat_preview",
        )
        return [preview, *super().get_urls()]

    def repeat_preview(self, request):
        """The dates the form would save, as JSON, for the editor's live preview."""
        if request.method != "POST":
            return JsonResponse({"error": "POST the event form."}, status=405)
        event = None
        if request.GET.get("event", "").isdigit():
            event = get_object_or_404(Event, pk=int(request.GET["event"]))
        if not (self.has_change_permission(request, event) or self.has_add_permission(request)):
            return JsonResponse({"error": "Not allowed."}, status=403)
        form_class = self.get_form(request, event)
        form = form_class(request.POST, instance=event)
        form.is_valid()
        plan = getattr(form, "_plan", None)
        errors = [
            str(message)
            for name in (None, *REPEAT_FIELDS)
            for message in form.errors.get(name or "__all__", [])
        ]
        if plan is None or not plan["rrule"]:
            return JsonResponse({"dates": [], "sessions": 0, "errors": errors})
        skipped, cancelled = set(plan["exdates"]), set(plan["cancelled"])
        holidays = set(plan["holidays"])
        extras = {moment.date(): moment for moment in plan["extras"]}
        words = {
            "on": "",
            "holiday": _("school holiday, skipped"),
            "skipped": _("skipped"),
            "cancelled": _("cancelled"),
            "extra": _("extra date"),
            "extra-cancelled": _("extra date, cancelled"),
        }
        dates = []
        for day in sorted({*plan["dates"], *extras})[:100]:
            if day in extras:
                state = "extra-cancelled" if day in cancelled else "extra"
                label = f"{extras[day]:%a %d/%m/%Y %H:%M}"
            else:
                state = (
                    ("holiday" if day in holidays else "skipped")
                    if day in skipped
                    else ("cancelled" if day in cancelled else "on")
                )
                label = f"{day:%a %d/%m/%Y}"
            dates.append(
                {"state": state, "label": f"{label} — {words[state]}" if words[state] else label}
            )
        listed = sum(1 for day in plan["dates"] if day not in skipped) + len(extras)
        held = sum(1 for day in plan["dates"] if day not in skipped | cancelled) + sum(
            1 for day in extras if day not in cancelled
        )
        summary = ngettext(
            "%(listed)d session listed (%(held)d going ahead).",
            "%(listed)d sessions listed (%(held)d going ahead).",
            listed,
        ) % {"listed": listed, "held": held}
        summary += " " + str(_("Skipped dates and school holidays are not counted."))
        return JsonResponse({"dates": dates, "summary": summary, "errors": errors})

    @admin.display(boolean=True, description=_("repeats"))
    def is_recurring_column(self, event):
        return bool(event.rrule)

    @admin.display(description=_("next date"), ordering="next_start")
    def next_date(self, event):
        return f"{timezone.localtime(event.next_start):%d/%m/%Y %H:%M}" if event.next_start else "—"

    @admin.action(description=_("Publish the selected events"), permissions=["change"])
    def publish(self, request, queryset):
        count = publish_records(queryset=queryset)
        self.message_user(
            request,
            ngettext("%(count)d event published.", "%(count)d events published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected events (back to draft)"),
                  permissions=["change"])  # fmt: skip
    def unpublish(self, request, queryset):
        count = unpublish_records(queryset=queryset)
        self.message_user(
            request,
            ngettext("%(count)d event unpublished.", "%(count)d events unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Cancel the selected events…"), permissions=["change"])
    def cancel(self, request, queryset):
        """Asks for a reason on an intermediate page, then cancels."""
        form = CancelEventForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = 0
            for event in queryset:
                event_cancel(event=event, reason=form.cleaned_data["reason"])
                count += 1
            self.message_user(
                request,
                ngettext("%(count)d event cancelled.", "%(count)d events cancelled.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel events"),
            "opts": self.model._meta,
            "events": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/events/event/cancel_confirmation.html", context)

    @admin.action(description=_("Duplicate as a draft a week later"), permissions=["add"])
    def duplicate(self, request, queryset):
        copies = [
            event_duplicate(event=event, shift=datetime.timedelta(weeks=1)) for event in queryset
        ]
        if len(copies) == 1:
            self.message_user(
                request, _("A draft copy was made a week later: check it and publish it.")
            )
            return redirect(reverse("admin:events_event_change", args=[copies[0].pk]))
        self.message_user(
            request,
            ngettext("%(count)d draft copy made.", "%(count)d draft copies made.", len(copies))
            % {"count": len(copies)},
            messages.SUCCESS,
        )
        return None
