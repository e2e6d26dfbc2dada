"""The admin's shared bases: history pages, the formatted-text editor, publishing actions.

Apps register their own models; nothing is registered here.
"""

from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_prose_editor.widgets import AdminProseEditorWidget, importmap, prose_editor_js
from js_asset import Media, Script
from modeltranslation.admin import TranslationAdmin
from modeltranslation.settings import DEFAULT_LANGUAGE as SOURCE_LANGUAGE
from simple_history.admin import SimpleHistoryAdmin

from core.fields import CleanImageField, FormattedTextField
from core.publishing import publish_records, unpublish_records


class NoEmptyChoiceFilter(admin.RelatedFieldListFilter):
    """A related filter without the bare dash entry Django adds for empty relations
    ("By roles:" then a lone dash), which staff read as a broken line."""

    @property
    def include_empty_choice(self):
        return False


def _image_fields(model) -> list[CleanImageField]:
    return [field for field in model._meta.fields if isinstance(field, CleanImageField)]


class HistoryAdmin(SimpleHistoryAdmin):
    """Who changed what, on every model.

    Hardened beyond simple-history's own: nonsense ids are a 404, not a 500; only
    staff who may change a record can revert it (simple-history saves a posted
    history form for anyone who may view it); and a revert never brings back an
    image (its files may be long deleted) nor throws away the current one.
    """

    def _check_ids(self, object_id, version_id=None):
        if version_id is not None and not str(version_id).isdigit():
            raise Http404
        if "\x00" in str(object_id):
            raise Http404
        try:
            self.model._meta.pk.to_python(object_id)
        except ValidationError:
            raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        if request.method not in {"GET", "HEAD"}:
            obj = self.get_object(request, object_id)
            if obj is None or not self.has_change_permission(request, obj):
                raise PermissionDenied
        request.reverting_history = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request, obj=None):
        return not self.has_change_permission(request, obj) or super().revert_disabled(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if getattr(request, "reverting_history", False) and obj is not None and obj.pk:
            # The historical copy keeps its image as it was; show and keep today's.
            current = type(obj)._base_manager.filter(pk=obj.pk).first()
            for field in _image_fields(type(obj)):
                for name in filter(None, [field.attname, field.width_field, field.height_field]):
                    setattr(obj, name, getattr(current, name) if current else None)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if getattr(request, "reverting_history", False):
            readonly += [field.name for field in _image_fields(self.model)]
        return readonly

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (OverflowError, ValueError):
            # A date drill-down or filter value no date can hold: as Django answers
            # any other impossible lookup, back to the list with its error flag.
            return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no field for a model without a
        # foreign key (strands, pages, partners), which Django 6.1 deprecates.
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")


# What the editor offers stays within what core.sanitise keeps on save.
PROSE_EDITOR_CONFIG = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Strike": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HorizontalRule": True,
        "HardBreak": True,
        "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto", "tel"]},
        "History": True,
        "HTML": True,
        "SpecialCharacters": True,  # shows no-break spaces and soft hyphens while editing
    }
}


class FormattedTextAdmin(HistoryAdmin):
    """Formatted-text fields get the rich-text editor; the server still sanitises on save."""

    formfield_overrides = {
        FormattedTextField: {
            "widget": AdminProseEditorWidget(config=PROSE_EDITOR_CONFIG, preset="configurable")
        }
    }

    @property
    def media(self):
        # Our CSP (style-src 'self') refuses the <style> element the editor injects, and without
        # its rules typed spaces are stored as &nbsp;. The rules ship as css/prose-editor.css;
        # js/prose-editor-csp.js turns the injection off, so it must run after editor.js and
        # before configurable.js builds the editors: this list pins that order.
        return super().media + Media(
            importmap=importmap,
            css={"all": ["css/prose-editor.css"]},
            js=[
                prose_editor_js,
                Script("js/prose-editor-csp.js", type="module"),
                Script("django_prose_editor/configurable.js", type="module"),
            ],
        )


class PublishableAdmin(FormattedTextAdmin):
    """Status and publish-from as columns, filters and bulk actions on every publishable model."""

    list_filter = ["status"]
    date_hierarchy = "updated_at"
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected items"), permissions=["change"])
    def publish(self, request, queryset):
        count = publish_records(queryset=queryset)
        self.message_user(request, _("%(count)d published.") % {"count": count})

    @admin.action(
        description=_("Unpublish the selected items (back to draft)"), permissions=["change"]
    )
    def unpublish(self, request, queryset):
        count = unpublish_records(queryset=queryset)
        self.message_user(request, _("%(count)d returned to draft.") % {"count": count})


class TranslatedAdmin(TranslationAdmin):
    """Staff-edited text in several languages (modeltranslation), put first in the bases:
    ``class StrandAdmin(TranslatedAdmin, PublishableAdmin)``.

    English (the source, required) stays where the fields always were; each other
    language's fields are grouped in a section of their own ("Arabic — العربية"), folded
    until opened, with inputs that write right to left in that language. Plain HTML, no
    script: the sections work under our Content-Security-Policy and without JavaScript.
    """

    def get_search_fields(self, request):
        """The list's search looks in every language's text, not only English's: a
        coordinator pasting an Arabic title finds its event."""
        fields = list(super().get_search_fields(request))
        translated = self.trans_opts.all_fields
        for name in list(fields):
            for column in sorted(translated.get(name, ()), key=lambda field: field.name):
                if column.name not in fields:
                    fields.append(column.name)
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        translated = self.trans_opts.all_fields  # {"title": {title_en, title_ar, ...}}
        by_language: dict[str, list[str]] = {}
        kept = []
        for name, options in fieldsets:
            fields = []
            for field in options["fields"]:
                language = self._other_language(field, translated)
                if language:
                    by_language.setdefault(language, []).append(field)
                else:
                    fields.append(field)
            kept.append((name, {**options, "fields": fields}))
        sections = [
            (
                _("%(language)s — %(local_name)s")
                % {"language": info["name_translated"], "local_name": info["name_local"]},
                {
                    "fields": fields,
                    "classes": ["collapse", f"translation-{language}"],
                    "description": _(
                        "Leave a box empty and visitors reading this language see the English "
                        "text, with a note that it is not yet translated."
                    ),
                },
            )
            for language, fields in by_language.items()
            if (info := get_language_info(language))
        ]
        return kept[:1] + sections + kept[1:]

    @staticmethod
    def _other_language(field, translated) -> str | None:
        for base, localized in translated.items():
            if field in {f.name for f in localized} and not field.endswith(f"_{SOURCE_LANGUAGE}"):
                return field.removeprefix(f"{base}_")
        return None

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if language:
            widget = self._get_widget_from_field(field)
            widget.attrs["lang"] = "en-GB" if language == SOURCE_LANGUAGE else language
            widget.attrs["dir"] = "rtl" if get_language_info(language)["bidi"] else "ltr"
