"""The programme in the admin: strands, projects, writers (safety controls), their writings,
partners, pages."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline
from modeltranslation.settings import DEFAULT_LANGUAGE as SOURCE_LANGUAGE

from core import media
from core.admin import (
    FormattedTextAdmin,
    HistoryAdmin,
    NoEmptyChoiceFilter,
    PublishableAdmin,
    TranslatedAdmin,
)
from core.publishing import save_each
from programme.models import (
    HomePage,
    Menu,
    MenuItem,
    MenuPlace,
    Page,
    Partner,
    Project,
    Quote,
    Strand,
    Work,
    Writer,
    WriterVisibility,
    Writing,
    WritingVersion,
)

STATUS_HELP = _(
    "Draft: only staff see it (use “View on site” to preview). Published: on the site, from "
    "the “publish from” time if you set one."
)


class ProgrammePublishableAdmin(PublishableAdmin):
    """Publishable programme content, with the status explained in the programme's words."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "status" and field is not None and not field.help_text:
            field.help_text = STATUS_HELP
        return field


class WithdrawConsentForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "How and when the writer withdrew consent (for example: by email to the "
            "coordinator, 3 March). Kept in each writer's history."
        ),
    )


class ProjectInline(admin.TabularInline):
    model = Project
    fields = ["title", "slug", "status", "order"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True


@admin.register(Strand)
class StrandAdmin(TranslatedAdmin, ProgrammePublishableAdmin):
    list_display = ["title", "status", "publish_from", "order", "updated_at"]
    list_editable = ["order"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProjectInline]
    fields = [
        "title", "slug", "summary", "body", "image", "image_alt", "order",
        "status", "publish_from", "created_at", "updated_at",
    ]  # fmt: skip


@admin.register(Project)
class ProjectAdmin(TranslatedAdmin, ProgrammePublishableAdmin):
    list_display = ["title", "strand", "status", "start_date", "end_date", "order"]
    list_filter = ["strand", "status"]
    list_select_related = ["strand"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partners"]
    fields = [
        "strand", "title", "slug", "summary", "body", "audiences", "age_range", "cost",
        "how_to_take_part", "start_date", "end_date", "partners", "image", "image_alt",
        "order", "status", "publish_from", "created_at", "updated_at",
    ]  # fmt: skip


class WorkInline(admin.TabularInline):
    model = Work
    extra = 0
    fields = ["title", "year", "language", "link", "order"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text", "source", "order"]


class StaffCopyOfImage:
    """What the file widget shows as "Currently": a link staff can open even while the
    image is withheld, labelled with where it stands, never the stored file name."""

    def __init__(self, url: str, label: str):
        self.url = url
        self.label = label

    def __str__(self) -> str:
        return str(self.label)


class PortraitWidget(AdminFileWidget):
    staff_copy: StaffCopyOfImage | None = None

    def format_value(self, value):
        if self.is_initial(value) and self.staff_copy is not None:
            return self.staff_copy
        return super().format_value(value)


def _writer_checklist() -> SafeString:
    items = [
        _(
            "Consent first: record the date the writer agreed and what they agreed may be "
            "published. Until then nothing about them is on the site."
        ),
        _(
            "Visibility: Public is listed and searchable; Unlisted is reachable only by its "
            "link, never listed, searched or indexed; Hidden is not on the site at all."
        ),
        _(
            "Withheld details: the country and the portrait stay private unless you tick "
            "“show”. Tick only what the writer agreed to; never add a legal name or address."
        ),
        _(
            "If the writer withdraws consent, enter the date in “consent withdrawn on” (or use "
            "the list's bulk action): the profile leaves every page, feed and search at once."
        ),
    ]
    return format_html(
        '<p>{}</p><ol class="writer-checklist">{}</ol>',
        _("Before you save, check:"),
        format_html_join("", "<li>{}</li>", ((item,) for item in items)),
    )


WRITER_CHECKLIST = lazy(_writer_checklist, SafeString)()


@admin.register(Writer)
class WriterAdmin(TranslatedAdmin, FormattedTextAdmin):
    list_display = [
        "name", "visibility", "has_consent", "strand", "residency_start", "residency_end",
    ]  # fmt: skip
    list_filter = ["visibility", "show_country", "show_portrait", ("strand", NoEmptyChoiceFilter)]
    actions = ["make_hidden", "make_unlisted", "withdraw_consent"]
    list_select_related = ["strand"]
    search_fields = ["name", "summary", "biography"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "residency_start"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [WorkInline, QuoteInline]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "strand", "summary", "biography", "languages", "genres"]},
        ),
        (
            _("Safety and consent"),
            {
                "description": WRITER_CHECKLIST,
                "fields": [
                    "visibility",
                    "consent_recorded_on",
                    "consent_scope",
                    "consent_withdrawn_on",
                    "country_of_origin",
                    "show_country",
                    "portrait",
                    "portrait_alt",
                    "show_portrait",
                ],
            },
        ),
        (_("Residency"), {"fields": ["residency_start", "residency_end"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(boolean=True, description=_("consent"))
    def has_consent(self, writer):
        return writer.has_consent

    # ---- bulk actions: one save per writer, so history, caches and the portrait follow

    def _changed(self, request, count: int, message: str) -> None:
        """`message`: already chosen for `count` (ngettext), with %(count)d in it."""
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Hide the selected writers (not on the site at all)"),
                  permissions=["change"])  # fmt: skip
    def make_hidden(self, request, queryset):
        count = save_each(
            queryset=queryset,
            changes={"visibility": WriterVisibility.HIDDEN},
            reason="Hidden by bulk action",
        )
        self._changed(
            request,
            count,
            ngettext("%(count)d writer hidden.", "%(count)d writers hidden.", count),
        )

    @admin.action(description=_("Make the selected writers unlisted (by link only)"),
                  permissions=["change"])  # fmt: skip
    def make_unlisted(self, request, queryset):
        count = save_each(
            queryset=queryset,
            changes={"visibility": WriterVisibility.UNLISTED},
            reason="Made unlisted by bulk action",
        )
        self._changed(
            request,
            count,
            ngettext("%(count)d writer made unlisted.", "%(count)d writers made unlisted.", count),
        )

    @admin.action(description=_("Record that the selected writers withdrew consent…"),
                  permissions=["change"])  # fmt: skip
    def withdraw_consent(self, request, queryset):
        """Asks for a note on an intermediate page, then records the withdrawal today."""
        form = WithdrawConsentForm(request.POST if "note" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = save_each(
                queryset=queryset.filter(consent_withdrawn_on__isnull=True),
                changes={"consent_withdrawn_on": timezone.localdate()},
                reason=form.cleaned_data["note"],
            )
            self._changed(
                request,
                count,
                ngettext(
                    "Consent withdrawn recorded for %(count)d writer: nothing about them is "
                    "public.",
                    "Consent withdrawn recorded for %(count)d writers: nothing about them is "
                    "public.",
                    count,
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record withdrawn consent"),
            "opts": self.model._meta,
            "writers": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(
            request, "admin/programme/writer/withdraw_consent_confirmation.html", context
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        portrait = form.base_fields.get("portrait")
        if portrait is not None:
            portrait.widget = PortraitWidget(attrs=portrait.widget.attrs)
            if obj is not None and obj.portrait:
                label = (
                    _("Current portrait (public)")
                    if obj.portrait_is_public
                    else _("Current portrait (withheld: not on the public site)")
                )
                url = reverse("admin:programme_writer_portrait", args=[obj.pk])
                portrait.widget.staff_copy = StaffCopyOfImage(url, label)
        return form

    def get_urls(self):
        portrait = self.admin_site.admin_view(self.portrait_view)
        return [
            path("<path:object_id>/portrait/", portrait, name="programme_writer_portrait"),
            *super().get_urls(),
        ]

    def portrait_view(self, request, object_id):
        """The portrait for staff who may change the writer, wherever it is kept."""
        writer = self.get_object(request, object_id)
        if writer is None or not writer.portrait or not self.has_change_permission(request, writer):
            raise Http404
        file = media.open_for_staff(writer.portrait.name, writer.portrait_width)
        if file is None:
            raise Http404
        response = FileResponse(file)
        response["Cache-Control"] = "private, no-store"
        return response


class WritingVersionForm(forms.ModelForm):
    """A version's title and text run in its language's direction: `dir="auto"` while
    the language is not yet known (the browser follows the first strong letter), the
    language's own once it is saved."""

    class Meta:
        model = WritingVersion
        fields = [
            "language", "is_original", "title", "text", "translator", "bridge_translator",
            "rights_note", "status", "publish_from",
        ]  # fmt: skip
        widgets = {
            "title": forms.TextInput(attrs={"dir": "auto", "class": "vTextField"}),
            "text": forms.Textarea(attrs={"dir": "auto", "rows": 12, "cols": 60}),
            "language": forms.TextInput(
                attrs={"size": 12, "autocapitalize": "none", "spellcheck": "false"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = self.instance.language if self.instance.pk else ""
        if language:
            for name in ("title", "text"):
                self.fields[name].widget.attrs.update(
                    {"dir": self.instance.direction, "lang": language}
                )

    def validate_constraints(self):
        """Every constraint but "one original per writing", which the formset checks
        across all the versions at once: moving the original from one version to another
        in one save would otherwise be refused, as each form alone sees the other still
        marked original in the database. The versions are saved in order (the original
        first), so the database, which still holds the line, sees no moment with two."""
        exclude = self._get_validation_exclusions()
        errors = {}
        for constraint in self.instance._meta.constraints:
            if constraint.name == "writing_has_one_original":
                continue
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except forms.ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            self._update_errors(forms.ValidationError(errors))


class WritingVersionFormSet(forms.BaseInlineFormSet):
    """Exactly one original among the versions kept (the database allows at most one)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        if not kept:
            return
        originals = sum(1 for form in kept if form.cleaned_data.get("is_original"))
        if originals != 1:
            raise forms.ValidationError(
                _("Mark exactly one version as the original; the others are translations.")
            )


class WritingVersionInline(admin.StackedInline):
    model = WritingVersion
    form = WritingVersionForm
    formset = WritingVersionFormSet
    extra = 0
    min_num = 1
    fieldsets = [
        (None, {"fields": [("language", "is_original"), "title", "text"]}),
        (_("Credits and rights"), {"fields": ["translator", "bridge_translator", "rights_note"]}),
        (None, {"fields": [("status", "publish_from")]}),
    ]


@admin.register(Writing)
class WritingAdmin(ProgrammePublishableAdmin):
    list_display = ["title", "writer", "kind", "languages", "status", "publish_from", "updated_at"]
    list_filter = ["status", "kind", ("writer", NoEmptyChoiceFilter)]
    list_select_related = ["writer"]
    search_fields = ["title", "slug", "writer__name", "versions__title", "versions__translator"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["writer"]
    inlines = [WritingVersionInline]
    fields = [
        "writer", "title", "slug", "kind", "year", "order", "status", "publish_from",
        "created_at", "updated_at",
    ]  # fmt: skip

    def get_queryset(self, request):
        versions = Prefetch(
            "versions", queryset=WritingVersion.objects.only("writing", "language", "is_original")
        )
        return super().get_queryset(request).prefetch_related(versions)

    @admin.display(description=_("languages"))
    def languages(self, writing):
        return ", ".join(
            f"{version.language} ({_('original')})" if version.is_original else version.language
            for version in writing.versions.all()
        )


@admin.register(Partner)
class PartnerAdmin(ProgrammePublishableAdmin):
    list_display = ["name", "kind", "status", "order"]
    list_filter = ["kind", "status"]
    list_editable = ["order"]
    search_fields = ["name", "description"]
    fields = ["name", "kind", "url", "description", "logo", "order", "status", "publish_from"]


@admin.register(Page)
class PageAdmin(TranslatedAdmin, ProgrammePublishableAdmin):
    list_display = ["title", "slug", "version", "status", "publish_from", "updated_at"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [*ProgrammePublishableAdmin.readonly_fields, "in_menus"]

    @admin.display(description=_("in the menus"))
    def in_menus(self, page):
        """Which menus link to the page, and the way to add it to the header's."""
        menus = (
            sorted({item.menu for item in page.menu_items.select_related("menu")}, key=str)
            if page.pk
            else []
        )
        header = Menu.objects.filter(place=MenuPlace.HEADER).first()
        add = (
            format_html(
                '<a href="{}">{}</a>',
                reverse("admin:programme_menu_change", args=[header.pk]),
                _("Add to the header menu"),
            )
            if header is not None
            else format_html(
                '<a href="{}">{}</a>', reverse("admin:programme_menu_changelist"), _("Menus")
            )
        )
        where = (
            format_html_join(", ", "{}", ((menu,) for menu in menus))
            if menus
            else _("Not in any menu: visitors reach it by its address, or by links in other pages.")
        )
        return format_html(
            "<p>{}</p><p>{} {}</p>",
            where,
            add,
            _("(save this page first; it shows in the menu only while it is published)"),
        )


class MenuItemInline(TranslationStackedInline):
    """A menu's links, one block each: the label in every language, then one target."""

    model = MenuItem
    extra = 1
    autocomplete_fields = ["page", "strand", "project"]
    fieldsets = [
        (None, {"fields": ["label", "order"]}),
        (
            _("Where the link goes (choose one)"),
            {
                "fields": [("page", "strand", "project"), ("section", "url")],
                "description": _(
                    "Choose one: a page, a strand, a project, a section of the site, or "
                    "the address of another website. A link to a draft page, strand or "
                    "project stays hidden until it is published."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("page", "strand", "project")

    def patch_translation_field(self, db_field, field, request, **kwargs):
        """ "Label (Arabic — العربية)", written right to left, and the advice once, under
        the English."""
        super().patch_translation_field(db_field, field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if not language:
            return
        info = get_language_info(language)
        original = getattr(db_field, "translated_field", db_field)
        field.label = (
            capfirst(original.verbose_name)
            if language == SOURCE_LANGUAGE
            else _("%(field)s in %(language)s (%(local_name)s)")
            % {
                "field": capfirst(original.verbose_name),
                "language": info["name_translated"],
                "local_name": info["name_local"],
            }
        )
        widget = getattr(field.widget, "widget", field.widget)
        widget.attrs["lang"] = "en-GB" if language == SOURCE_LANGUAGE else language
        widget.attrs["dir"] = "rtl" if info["bidi"] else "ltr"
        if language != SOURCE_LANGUAGE:
            field.help_text = ""


@admin.register(Menu)
class MenuAdmin(TranslatedAdmin, HistoryAdmin):
    list_display = ["__str__", "place", "order", "links"]
    list_filter = ["place"]
    inlines = [MenuItemInline]
    fields = ["place", "heading", "order"]

    def get_queryset(self, request):
        items = Prefetch(
            "items", queryset=MenuItem.objects.select_related("page", "strand", "project")
        )
        return super().get_queryset(request).prefetch_related(items)

    @admin.display(description=_("links"))
    def links(self, menu):
        return ", ".join(str(item) for item in menu.items.all())


@admin.register(HomePage)
class HomePageAdmin(TranslatedAdmin, FormattedTextAdmin):
    list_display = ["__str__", "heading", "updated_at"]

    def has_add_permission(self, request):
        # One home page; staff edit it rather than add another.
        return not HomePage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
