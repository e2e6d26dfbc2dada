"""Bookings in the admin: attendee lists per date with their counts, the actions staff take
(offer a place to the waiting list, cancel with a message, mark attended), a CSV export safe
in a spreadsheet, the sign-in sheet, check-in at the door, and the venue release log.

Every change goes through ``bookings.services`` (check-in included), so emails, the
waiting list and the history follow. Nothing is
added or deleted by hand here: bookings come from visitors, and erasure is a service.
"""

import csv
import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from bookings import services, staff_views
from bookings.models import (
    Booking,
    BookingCount,
    BookingStatus,
    CancelledBy,
    VenueRelease,
)
from core.admin import HistoryAdmin
from events.models import BookingMode, Occurrence
from volunteers.admin import spreadsheet_safe

ACCESS_SYMBOL = "♿"  # marks a booking with access needs (listed for permitted staff)


class CancelBookingsForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the people whose bookings are cancelled"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent in the cancellation email, with our apologies. For example: the room "
            "is smaller than we thought; we will tell you first about the next reading."
        ),
    )


class DateFilter(admin.SimpleListFilter):
    """One date's attendee list: the counts appear above it."""

    title = _("date")
    parameter_name = "occurrence"

    def lookups(self, request, model_admin):
        since = timezone.now() - datetime.timedelta(days=1)
        dates = list(
            Occurrence.objects.filter(event__booking=BookingMode.PORTAL, end__gte=since)
            .select_related("event")
            .order_by("start")[:30]
        )
        chosen = self.value()
        if chosen and chosen.isdigit() and all(str(date.pk) != chosen for date in dates):
            dates += list(Occurrence.objects.select_related("event").filter(pk=int(chosen)))
        return [(str(date.pk), staff_views.date_label(date)) for date in dates]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(occurrence_id=int(value))
        return queryset


class WhenFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("today", _("Today")), ("upcoming", _("Still to come")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "today":
            today = timezone.localdate()
            return queryset.filter(occurrence__in=Occurrence.objects.on_day(today))
        if self.value() == "upcoming":
            return queryset.filter(occurrence__end__gte=now)
        if self.value() == "past":
            return queryset.filter(occurrence__end__lt=now)
        return queryset


class AttendedFilter(admin.SimpleListFilter):
    title = _("attended")
    parameter_name = "attended"

    def lookups(self, request, model_admin):
        return [("yes", _("Checked in")), ("no", _("Not checked in"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(checked_in_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(checked_in_at__isnull=True)
        return queryset


class VenueReleaseInline(admin.TabularInline):
    """Each time this booking was sent the withheld address: read-only."""

    model = VenueRelease
    fields = ["released_at", "channel"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("private address sent (release log)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(HistoryAdmin):
    change_list_template = "bookings/staff/change_list.html"
    list_display = [
        "reference",
        "name",
        "email",
        "places",
        "status",
        "attended_column",
        "date_column",
        "created_at",
    ]
    list_display_links = ["reference", "name"]
    list_filter = [DateFilter, "status", WhenFilter, AttendedFilter]
    search_fields = ["name", "email"]
    date_hierarchy = "occurrence__start"
    list_select_related = ["occurrence__event"]
    list_per_page = 100
    ordering = ["occurrence__start", "name", "pk"]
    actions = ["offer_next_place", "cancel_with_message", "mark_attended", "export_csv"]
    inlines = [VenueReleaseInline]
    fields = [
        "occurrence",
        "name",
        "email",
        "places",
        "status",
        "access_needs",
        "checked_in_at",
        "created_at",
        "email_confirmed_at",
        "confirmed_at",
        "waiting_since",
        "offered_at",
        "hold_expires_at",
        "cancelled_at",
        "cancelled_by",
        "staff_message",
        "lapsed_at",
        "reminder_sent_at",
        "venue_sent_at",
        "consent_given_at",
        "privacy_notice_version",
    ]
    readonly_fields = fields

    # -- what each person may see
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # erasure goes through bookings.services.booking_erase

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not staff_views.can_see_access_needs(request.user):
            fields.remove("access_needs")
        return fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        if staff_views.can_see_access_needs(request.user):
            columns.insert(4, "needs_column")
        return columns

    # -- columns
    @admin.display(description=_("ref."), ordering="pk")
    def reference(self, booking):
        return f"#{booking.pk}"

    @admin.display(description=_("date"), ordering="occurrence__start")
    def date_column(self, booking):
        return staff_views.date_label(booking.occurrence)

    @admin.display(description=_("attended"), ordering="checked_in_at")
    def attended_column(self, booking):
        if booking.checked_in_at is None:
            return "—"
        return f"{timezone.localtime(booking.checked_in_at):%H:%M}"

    @admin.display(description=_("access needs"))
    def needs_column(self, booking):
        if not booking.access_needs:
            return ""
        return format_html('<span title="{}">{} {}</span>', booking.access_needs,
                           ACCESS_SYMBOL, _("yes"))  # fmt: skip

    # -- the list, with one date's counts above it
    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        chosen = request.GET.get(DateFilter.parameter_name, "")
        if chosen.isdigit():
            occurrence = Occurrence.objects.select_related("event").filter(pk=int(chosen)).first()
            if occurrence is not None:
                extra_context["date"] = occurrence
                extra_context["counts"] = staff_views.date_counts(occurrence)
                extra_context["can_change"] = self.has_change_permission(request)
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        def view(function):
            def wrapped(request, *args, **kwargs):
                return function(self, request, *args, **kwargs)

            return self.admin_site.admin_view(wrapped)

        info = "bookings_booking"
        return [
            path("dates/", view(staff_views.dates_view), name=f"{info}_dates"),
            path("checkin/", view(staff_views.checkin_today_view), name=f"{info}_checkin_today"),
            path(
                "checkin/<int:occurrence>/",
                view(staff_views.checkin_view),
                name=f"{info}_checkin",
            ),
            path(
                "date/<int:occurrence>/sign-in-sheet/",
                view(staff_views.sign_in_sheet_view),
                name=f"{info}_sign_in_sheet",
            ),
            path(
                "date/<int:occurrence>/offer/",
                self.admin_site.admin_view(self.offer_view),
                name=f"{info}_offer",
            ),
            *super().get_urls(),
        ]

    # -- actions
    def _offer(self, request, occurrences) -> None:
        for occurrence in occurrences:
            offered = services.offer_next(occurrence=occurrence)
            if offered:
                self.message_user(
                    request,
                    ngettext(
                        "%(date)s: a place was offered to %(count)d person on the waiting "
                        "list; they have been emailed.",
                        "%(date)s: places were offered to %(count)d people on the waiting "
                        "list; they have been emailed.",
                        len(offered),
                    )
                    % {"date": staff_views.date_label(occurrence), "count": len(offered)},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    _(
                        "%(date)s: nobody was offered a place (no place is free, nobody "
                        "is waiting, or it is too close to the start)."
                    )
                    % {"date": staff_views.date_label(occurrence)},
                    messages.WARNING,
                )

    def offer_view(self, request, occurrence):
        """The button above a date's list: offer its free places to the waiting list."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        occurrence = staff_views._occurrence_or_404(occurrence)
        self._offer(request, [occurrence])
        url = reverse("admin:bookings_booking_changelist")
        return HttpResponseRedirect(f"{url}?occurrence={occurrence.pk}")

    @admin.action(description=_("Offer free places to the next people waiting (same dates)"),
                  permissions=["change"])  # fmt: skip
    def offer_next_place(self, request, queryset):
        ids = queryset.values_list("occurrence_id", flat=True).distinct()
        occurrences = Occurrence.objects.filter(pk__in=ids).select_related("event")
        self._offer(request, occurrences.order_by("start"))

    @admin.action(description=_("Cancel the selected bookings, with a message…"),
                  permissions=["change"])  # fmt: skip
    def cancel_with_message(self, request, queryset):
        """Asks for the message on an intermediate page, then cancels and emails."""
        form = CancelBookingsForm(request.POST if "message" in request.POST else None)
        active = queryset.filter(
            status__in=[
                BookingStatus.HELD,
                BookingStatus.CONFIRMED,
                BookingStatus.WAITING,
                BookingStatus.OFFERED,
            ]
        ).select_related("occurrence__event")
        if form.is_bound and form.is_valid():
            count = sum(
                services.booking_cancel(
                    booking=booking, by=CancelledBy.STAFF, message=form.cleaned_data["message"]
                )
                for booking in active
            )
            self.message_user(
                request,
                ngettext(
                    "%(count)d booking cancelled; the person was emailed.",
                    "%(count)d bookings cancelled; each person was emailed.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Cancel bookings"),
            "opts": self.model._meta,
            "bookings": active,
            "skipped": queryset.count() - active.count(),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "bookings/staff/cancel_confirmation.html", context)

    @admin.action(description=_("Mark the selected bookings as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        done = 0
        for booking in queryset.filter(
            status=BookingStatus.CONFIRMED, checked_in_at__isnull=True
        ).select_related("occurrence"):
            outcome = services.booking_check_in(
                booking=booking, occurrence=booking.occurrence, by=request.user
            )
            done += outcome.state == services.CheckInState.CHECKED_IN
        skipped = queryset.count() - done
        message = ngettext(
            "%(count)d booking marked as attended.", "%(count)d bookings marked as attended.", done
        ) % {"count": done}
        if skipped:
            message += " " + ngettext(
                "%(count)d was left alone (already attended, or not confirmed).",
                "%(count)d were left alone (already attended, or not confirmed).",
                skipped,
            ) % {"count": skipped}
        self.message_user(request, message, messages.SUCCESS if done else messages.WARNING)

    @admin.action(description=_("Export selected to CSV (safe for spreadsheets)"))
    def export_csv(self, request, queryset):
        with_needs = staff_views.can_see_access_needs(request.user)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="bookings-{stamp}.csv"'
        response["Cache-Control"] = "private, no-store"
        response.write("\ufeff")  # so spreadsheets read the file as UTF-8
        writer = csv.writer(response)
        header = [
            _("Reference"),
            _("Event"),
            _("Date"),
            _("Name"),
            _("Email"),
            _("Places"),
            _("Status"),
            _("Attended"),
            _("Booked"),
        ]
        if with_needs:
            header.append(_("Access needs"))
        writer.writerow(header)
        for booking in queryset.select_related("occurrence__event").order_by(
            "occurrence__start", "name", "pk"
        ):
            row = [
                booking.pk,
                booking.occurrence.event.title,
                f"{booking.occurrence.local_start:%Y-%m-%d %H:%M}",
                booking.name,
                booking.email,
                booking.places,
                booking.get_status_display(),
                (
                    f"{timezone.localtime(booking.checked_in_at):%Y-%m-%d %H:%M}"
                    if booking.checked_in_at
                    else ""
                ),
                f"{timezone.localtime(booking.created_at):%Y-%m-%d %H:%M}",
            ]
            if with_needs:
                row.append(booking.access_needs)
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        return response


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VenueRelease)
class VenueReleaseAdmin(ReadOnlyAdmin):
    """Who was sent a withheld address, when, by which message. Kept as long as the booking."""

    list_display = ["released_at", "booking_column", "person", "date_column", "channel"]
    list_filter = ["channel"]
    search_fields = ["booking__name", "booking__email", "booking__occurrence__event__title"]
    date_hierarchy = "released_at"
    list_select_related = ["booking__occurrence__event"]

    @admin.display(description=_("booking"), ordering="booking_id")
    def booking_column(self, release):
        url = reverse("admin:bookings_booking_change", args=[release.booking_id])
        return format_html('<a href="{}">#{}</a>', url, release.booking_id)

    @admin.display(description=_("sent to"), ordering="booking__name")
    def person(self, release):
        return f"{release.booking.name} <{release.booking.email}>"

    @admin.display(description=_("date"), ordering="booking__occurrence__start")
    def date_column(self, release):
        return staff_views.date_label(release.booking.occurrence)


@admin.register(BookingCount)
class BookingCountAdmin(ReadOnlyAdmin):
    """What is left of a date's bookings once names and emails are purged."""

    list_display = ["date_column", "bookings", "places", "attended", "cancelled", "lapsed"]
    list_select_related = ["occurrence__event"]
    search_fields = ["occurrence__event__title"]

    @admin.display(description=_("date"), ordering="occurrence__start")
    def date_column(self, count):
        return staff_views.date_label(count.occurrence)
