from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from programme.models import HomePage, Page, Partner, Strand, Writer


class PublishableAdmin(admin.ModelAdmin):
    """Status and publish-from time as columns and filters on every publishable model."""

    list_filter = ["status"]
    date_hierarchy = "updated_at"
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Strand)
class StrandAdmin(PublishableAdmin):
    list_display = ["title", "status", "publish_from", "order", "updated_at"]
    list_editable = ["order"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Writer)
class WriterAdmin(admin.ModelAdmin):
    list_display = ["name", "visibility", "has_consent", "residency_start", "residency_end"]
    list_filter = ["visibility", "show_country"]
    search_fields = ["name", "summary", "biography"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "residency_start"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "summary", "biography"]}),
        (
            _("Safety and consent"),
            {
                "description": _(
                    "Nothing about a writer is public until consent is recorded. "
                    "Withdrawing consent unpublishes the profile at once."
                ),
                "fields": [
                    "visibility",
                    "consent_recorded_on",
                    "consent_scope",
                    "consent_withdrawn_on",
                    "country_of_origin",
                    "show_country",
                ],
            },
        ),
        (_("Residency"), {"fields": ["residency_start", "residency_end"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(boolean=True, description=_("consent"))
    def has_consent(self, writer):
        return writer.consent_recorded_on is not None and writer.consent_withdrawn_on is None


@admin.register(Partner)
class PartnerAdmin(PublishableAdmin):
    list_display = ["name", "kind", "status", "order"]
    list_filter = ["kind", "status"]
    list_editable = ["order"]
    search_fields = ["name", "description"]


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    list_display = ["title", "slug", "status", "publish_from", "updated_at"]
    search_fields = ["title", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(HomePage)
class HomePageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "heading", "updated_at"]

    def has_add_permission(self, request):
        # One home page; staff edit it rather than add another.
        return not HomePage.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
