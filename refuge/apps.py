from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class RefugeConfig(AppConfig):
    """The project package: site-wide template tags, health check, errors."""

    name = "refuge"
    verbose_name = _("Portal")

    # Everything a public page shows: saving or deleting any of these makes every
    # cached page out of date (core.caching.page_cache). Bulk writes are caught by the
    # models' querysets; occurrences change only through their event or in bulk.
    CONTENT_MODELS = [
        "programme.Strand",
        "programme.Project",
        "programme.Writer",
        "programme.Work",
        "programme.Quote",
        "programme.Partner",
        "programme.Page",
        "programme.HomePage",
        "events.Venue",
        "events.Event",
        "volunteers.VolunteerRole",
    ]

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.caching.page_cache import content_changed

        for label in self.CONTENT_MODELS:
            model = apps.get_model(label)
            post_save.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{label}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"page-cache-{label}")
        project_partners = apps.get_model("programme.Project").partners.through
        m2m_changed.connect(
            content_changed, sender=project_partners, dispatch_uid="page-cache-partners"
        )


class RefugeAdminConfig(AdminConfig):
    """Django's admin, on our site class (branding, two-factor sign-in)."""

    default_site = "refuge.admin_site.RefugeAdminSite"
