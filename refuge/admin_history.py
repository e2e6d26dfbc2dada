"""The admin's history pages (django-simple-history), hardened for every model."""

from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Who changed what, on every model: nonsense version ids are a 404, not a 500."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not str(version_id).isdigit():
            raise Http404
        try:
            self.model._meta.pk.to_python(object_id)
        except Exception:
            raise Http404 from None
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no field for a model without a
        # foreign key (strands, pages, partners), which Django 6.1 deprecates.
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")
