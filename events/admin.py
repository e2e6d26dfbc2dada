"""The calendar in the admin: events and their dates, venues; publish, cancel, duplicate."""

import datetime

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import FormattedTextAdmin
from core.publishing import publish_records, unpublish_records
from events.forms import CancelEventForm
from events.models import Event, Occurrence, Venue
from events.services import event_cancel, event_duplicate


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "postcode", "website"]
    search_fields = ["name", "address", "postcode"]


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
    """The dates an event's rule produces, read-only: edit the rule, not the dates."""

    model = Occurrence
    fields = ["start", "end", "is_cancelled"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = _("upcoming dates (from the rule)")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = Occurrence.objects.upcoming().values("pk")
        return queryset.filter(pk__in=ids)


@admin.register(Event)
class EventAdmin(FormattedTextAdmin):
    list_display = [
        "title",
        "start",
        "strand",
        "event_type",
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
                "fields": ["start", "end", "all_day", "rrule", "exdates", "cancelled_dates"],
                "description": _(
                    "Times are in the programme's local time. A repeating event keeps its "
                    "clock time across the change to and from summer time."
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
            {"fields": ["is_free", "price", "price_note", "booking_url", "capacity_note"]},
        ),
        (
            _("Publishing"),
            {"fields": ["status", "cancellation_reason", "publish_from"]},
        ),
        (_("History"), {"fields": ["sequence", "uid", "created_at", "updated_at"]}),
    ]

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

    @admin.display(boolean=True, description=_("repeats"))
    def is_recurring_column(self, event):
        return bool(event.rrule)

    @admin.display(description=_("next date"), ordering="next_start")
    def next_date(self, event):
        return timezone.localtime(event.next_start) if event.next_start else "—"

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
