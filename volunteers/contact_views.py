"""The contact page: the programme's address, email and phone, and a form that reaches staff.

Its addresses are the ``contact`` namespace (``volunteers/contact_urls.py``): ``contact:form``
at ``/contact/`` (``/ar/contact/``, ``/fa/contact/``) and ``contact:thanks``. The form shares
the volunteer form's protections (``volunteers/spam.py``) and its outbox.
"""

from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from programme.models import Page
from volunteers import services
from volunteers.forms import ContactMessageForm
from volunteers.spam import SpamProtectedFormView
from volunteers.views import site_url


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class ContactView(SpamProtectedFormView, FormView):
    """Never kept by a cache: each form carries its own CSRF token and ticket."""

    form_class = ContactMessageForm
    template_name = "contact/form.html"
    success_url = reverse_lazy("contact:thanks")
    rate_limit_scope = "contact-form"
    rate_limited_template = "contact/rate_limited.html"
    query_parameters = ()

    def kept_for_later(self, request) -> dict:
        # The message, to copy and send later: a person on a busy shared network loses
        # nothing they wrote.
        return {"typed_message": request.POST.get("message", "")[:20000]}

    def form_valid(self, form):
        services.contact_message_submit(
            data=form.cleaned_data,
            submission_key=self.ticket.key,
            privacy_notice_version=self.ticket.privacy_notice_version,
            language=get_language() or "",
            site_url=site_url(self.request),
        )
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Staff may write a page with the slug "contact": its words go above the form.
        context["page"] = Page.objects.published().filter(slug="contact").first()
        return context


@method_decorator(never_cache, name="dispatch")
class ContactThanksView(TemplateView):
    template_name = "contact/thanks.html"
    query_parameters = ()
