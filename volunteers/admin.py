"""The volunteer coordinators' admin: confirmed applications, their roles, notes and exports."""

import csv
import json

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Func, Prefetch
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import HistoryAdmin, NoEmptyChoiceFilter
from volunteers import services
from volunteers.models import (
    ApplicationStatus,
    Availability,
    ContactMessage,
    DBSCheck,
    Note,
    PurgedApplicationCount,
    VolunteerApplication,
    VolunteerRole,
)

# What a spreadsheet could take for a formula at the start of a cell.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_safe(value) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (OWASP's advice: a leading ')."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def dbs_label(application) -> str:
    """The answer, or "Not asked" when no role they chose needed a check."""
    if not application.dbs_check:
        return str(_("Not asked"))
    return str(DBSCheck(application.dbs_check).label)


@admin.register(VolunteerRole)
class VolunteerRoleAdmin(HistoryAdmin):
    list_display = ["title", "strand", "time_commitment", "needs_dbs_check", "is_active", "order"]
    list_filter = ["strand", "needs_dbs_check", "is_active"]
    list_editable = ["order"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    list_select_related = ["strand"]


class NoteInline(admin.TabularInline):
    model = Note
    extra = 1
    fields = ["text", "author", "created_at"]
    readonly_fields = ["author", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(email_confirmed_at__isnull=self.value() == "no")
        return queryset


class AvailabilityFilter(admin.SimpleListFilter):
    title = _("availability")
    parameter_name = "availability"

    def lookups(self, request, model_admin):
        return Availability.choices

    def queryset(self, request, queryset):
        if self.value() in Availability.values:
            return queryset.filter(availability__contains=[self.value()])
        return queryset


class LanguageFilter(admin.SimpleListFilter):
    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        languages = (
            model_admin.get_queryset(request)
            .annotate(language=Func("languages", function="unnest"))
            .values_list("language", flat=True)
            .order_by("language")
            .distinct()
        )
        return [(language, language) for language in languages]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(languages__contains=[self.value()])
        return queryset


class DBSFlagFilter(admin.SimpleListFilter):
    title = _("DBS check needed")
    parameter_name = "dbs_flag"

    def lookups(self, request, model_admin):
        return [("yes", _("A chosen role needs a check they lack"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(needs_dbs_flag=True)
        return queryset


@admin.register(VolunteerApplication)
class VolunteerApplicationAdmin(HistoryAdmin):
    list_display = [
        "name",
        "email",
        "roles_list",
        # Languages and availability are filters (and on each application): as columns
        # they squeezed every heading into broken words at 1280 px.
        "dbs",
        "status",
        "is_confirmed",
        "created_column",
    ]
    list_filter = [
        "status",
        ConfirmedFilter,
        ("roles", NoEmptyChoiceFilter),
        LanguageFilter,
        AvailabilityFilter,
        "dbs_check",
        DBSFlagFilter,
        "news_opt_in",
        "created_at",
    ]
    search_fields = ["name", "email", "area", "phone", "languages", "message"]
    date_hierarchy = "created_at"
    inlines = [NoteInline]
    actions = [
        "mark_contacted",
        "mark_active",
        "mark_declined",
        "export_csv",
        "export_subject_access",
    ]
    readonly_fields = [
        "public_id",
        "consent_given_at",
        "privacy_notice_version",
        "is_adult",
        "email_confirmed_at",
        "status_changed_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["status", "name", "email", "phone", "area"]}),
        (
            _("Interests"),
            {"fields": ["roles", "languages", "availability", "dbs_check", "message"]},
        ),
        (
            _("Consent"),
            {
                "fields": [
                    "is_adult",
                    "consent_given_at",
                    "privacy_notice_version",
                    "news_opt_in",
                    "email_confirmed_at",
                ]
            },
        ),
        (_("History"), {"fields": ["status_changed_at", "created_at", "updated_at"]}),
    ]
    filter_horizontal = ["roles"]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .with_dbs_flag()
            .prefetch_related(Prefetch("roles", queryset=VolunteerRole.objects.only("title")))
        )
        if not request.user.is_superuser:
            # Coordinators see only applications whose address has been confirmed.
            queryset = queryset.confirmed()
        return queryset

    # ---- the audit history: read-only, and only of applications the changelist shows
    def _get_visible_object_or_404(self, request, object_id):
        """The application, if this person's changelist shows it (superusers see all,
        coordinators only confirmed ones); a 404 otherwise, as for a missing one.
        Staff without volunteer permissions get a 403 first, whatever the application."""
        if not self.has_view_history_or_change_history_permission(request):
            raise PermissionDenied
        application = self.get_object(request, unquote(object_id))
        if application is None:
            raise Http404
        return application

    def history_view(self, request, object_id, extra_context=None):
        # simple-history would fall back to the newest historical copy of an
        # application this person's changelist hides.
        self._get_visible_object_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """One historical copy, to read: a revert would rewrite personal data (name,
        email, consent) from an old copy, so the form neither offers nor accepts one."""
        self._get_visible_object_or_404(request, object_id)
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return True

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:  # the historical copy: every field read-only
            obj = context["original"]
            fieldsets = self.get_fieldsets(request, obj)
            context["adminform"] = helpers.AdminForm(
                context["adminform"].form,
                fieldsets,
                {},
                readonly_fields=flatten_fieldsets(fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data:
            obj.status_changed_at = timezone.now()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        notes = formset.save(commit=False)
        for note in notes:
            if note.pk is None:
                note.author = request.user
            note.save()
        for note in formset.deleted_objects:
            note.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        services.volunteer_application_erase(
            applications=[obj], reason=PurgedApplicationCount.Reason.ERASED
        )

    def delete_queryset(self, request, queryset):
        services.volunteer_application_erase(
            applications=queryset, reason=PurgedApplicationCount.Reason.ERASED
        )

    # ---- columns
    @admin.display(description=_("roles"))
    def roles_list(self, application):
        return ", ".join(role.title for role in application.roles.all())

    @admin.display(description=_("languages"))
    def languages_list(self, application):
        return ", ".join(application.languages)

    @admin.display(description=_("availability"))
    def availability_list(self, application):
        return ", ".join(str(Availability(value).label) for value in application.availability)

    @admin.display(description=_("DBS"), ordering="dbs_check")
    def dbs(self, application):
        label = dbs_label(application)
        if getattr(application, "needs_dbs_flag", False):
            return format_html(
                '<strong class="dbs-flag">⚠ {} — {}</strong>', label, _("a chosen role needs one")
            )
        return label

    @admin.display(description=_("created"), ordering="created_at")
    def created_column(self, application):
        return f"{timezone.localtime(application.created_at):%d/%m/%Y}"

    @admin.display(description=_("confirmed"), boolean=True, ordering="email_confirmed_at")
    def is_confirmed(self, application):
        return application.email_confirmed_at is not None

    # ---- actions
    def _set_status(self, request, queryset, status):
        changed = services.volunteer_application_set_status(applications=queryset, status=status)
        for application in queryset:
            self.log_change(request, application, [{"changed": {"fields": ["status"]}}])
        self.message_user(
            request,
            ngettext(
                "%(count)d application marked %(status)s.",
                "%(count)d applications marked %(status)s.",
                changed,
            )
            % {"count": changed, "status": ApplicationStatus(status).label.lower()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark as contacted"), permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._set_status(request, queryset, ApplicationStatus.CONTACTED)

    @admin.action(description=_("Mark as active"), permissions=["change"])
    def mark_active(self, request, queryset):
        self._set_status(request, queryset, ApplicationStatus.ACTIVE)

    @admin.action(description=_("Mark as declined"), permissions=["change"])
    def mark_declined(self, request, queryset):
        self._set_status(request, queryset, ApplicationStatus.DECLINED)

    @admin.action(description=_("Export selected to CSV (safe for spreadsheets)"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="volunteers-{stamp}.csv"'
        response.write("\ufeff")  # so spreadsheets read the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Reference"),
                _("Name"),
                _("Email"),
                _("Phone"),
                _("Area"),
                _("Roles"),
                _("Languages"),
                _("Availability"),
                _("DBS check"),
                _("DBS check needed"),
                _("Status"),
                _("Confirmed"),
                _("News"),
                _("Created"),
                _("Message"),
            ]
        )
        for application in queryset:
            row = [
                application.pk,
                application.name,
                application.email,
                application.phone,
                application.area,
                self.roles_list(application),
                self.languages_list(application),
                self.availability_list(application),
                dbs_label(application),
                _("Yes") if getattr(application, "needs_dbs_flag", False) else _("No"),
                ApplicationStatus(application.status).label,
                _("Yes") if application.email_confirmed_at else _("No"),
                _("Yes") if application.news_opt_in else _("No"),
                timezone.localtime(application.created_at).strftime("%Y-%m-%d %H:%M"),
                application.message,
            ]
            writer.writerow([spreadsheet_safe(cell) for cell in row])
        return response

    @admin.action(description=_("Export one person’s data (subject access request)"))
    def export_subject_access(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Choose exactly one application to export."), messages.WARNING
            )
            return None
        application = queryset.get()
        data = services.subject_access_export(application=application)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-{application.pk}.json"'
        )
        return response


@admin.register(PurgedApplicationCount)
class PurgedApplicationCountAdmin(admin.ModelAdmin):
    """Anonymous counts left behind by purges and erasures: read-only."""

    list_display = ["day", "reason", "count"]
    list_filter = ["reason"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class HandledFilter(admin.SimpleListFilter):
    title = _("handled")
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", _("Not yet")), ("yes", _("Yes"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(handled_at__isnull=self.value() == "no")
        return queryset


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """Messages from the contact page: to read and answer, never to edit.

    Volunteer coordinators see them (a migration grants view, change for the "handled"
    actions, and delete, which erases); content editors do not, as they see no one's
    personal data. Nobody adds one here.
    """

    list_display = ["received_column", "name", "email", "subject", "handled_column"]
    list_filter = [HandledFilter, "created_at"]
    search_fields = ["name", "email", "subject", "message"]
    date_hierarchy = "created_at"
    list_select_related = ["handled_by"]
    actions = ["mark_handled", "mark_not_handled", "export_subject_access"]
    fields = [
        "name",
        "email",
        "subject",
        "message",
        "language",
        "created_at",
        "consent_given_at",
        "privacy_notice_version",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        services.contact_messages_erase(messages=[obj])

    def delete_queryset(self, request, queryset):
        services.contact_messages_erase(messages=queryset)

    @admin.display(description=_("received"), ordering="created_at")
    def received_column(self, message):
        return f"{timezone.localtime(message.created_at):%d/%m/%Y %H:%M}"

    @admin.display(description=_("handled"), boolean=True, ordering="handled_at")
    def handled_column(self, message):
        return message.handled_at is not None

    def _mark(self, request, queryset, *, handled: bool):
        changed = services.contact_messages_mark_handled(
            messages=queryset, handled=handled, user=request.user
        )
        for message in queryset:
            self.log_change(request, message, [{"changed": {"fields": ["handled_at"]}}])
        text = (
            ngettext(
                "%(count)d message marked handled.", "%(count)d messages marked handled.", changed
            )
            if handled
            else ngettext(
                "%(count)d message marked not handled.",
                "%(count)d messages marked not handled.",
                changed,
            )
        )
        self.message_user(request, text % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Mark as handled"), permissions=["change"])
    def mark_handled(self, request, queryset):
        self._mark(request, queryset, handled=True)

    @admin.action(description=_("Mark as not handled"), permissions=["change"])
    def mark_not_handled(self, request, queryset):
        self._mark(request, queryset, handled=False)

    @admin.action(description=_("Export the sender’s messages (subject access request)"))
    def export_subject_access(self, request, queryset):
        emails = {message.email.lower() for message in queryset}
        if len(emails) != 1:
            self.message_user(
                request, _("Choose messages from exactly one address to export."), messages.WARNING
            )
            return None
        email = emails.pop()
        data = services.contact_messages_export(email=email)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="contact-messages-{data[0]["reference"]}.json"'
        )
        return response
