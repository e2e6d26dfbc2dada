"""Volunteering: the roles, the sign-up form, and the links in volunteers' emails.

The form, its thanks and the emails' links are never cached (``never_cache``): each form
carries its own CSRF token and ticket, and a link's page is one volunteer's.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, ListView, TemplateView

from core import ratelimit
from core.publishing import Audience, published_q
from programme.models import Project, Strand
from volunteers import services, thanks, tokens
from volunteers.forms import LANGUAGE_SUGGESTIONS, VolunteerApplicationForm
from volunteers.models import PurgedApplicationCount, VolunteerApplication, VolunteerRole
from volunteers.spam import SpamProtectedFormView, retry_minutes


def site_url(request) -> str:
    """The public address links in emails start with."""
    return settings.PORTAL["SITE_URL"] or request.build_absolute_uri("/").rstrip("/")


def young_people_projects():
    return (
        Project.objects.published()
        .running()
        .for_audience(Audience.YOUNG_PEOPLE)
        .select_related("strand")
    )


class VolunteerIndexView(ListView):
    """Why and how to volunteer, and the roles open now."""

    context_object_name = "roles"
    query_parameters = ()  # core/caching/keys.py

    def get_queryset(self):
        # A role may open before its strand is published: the page names the strand (and
        # links to it) only once the public may see it.
        strand_is_public = published_q(Strand, now=timezone.now(), through="strand__")
        return (
            VolunteerRole.objects.current()
            .select_related("strand")
            .annotate(
                strand_is_public=ExpressionWrapper(strand_is_public, output_field=BooleanField())
            )
        )


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class ApplyView(SpamProtectedFormView, FormView):
    """The sign-up form. ``?role=<slug>`` (any number of times) ticks those roles; a slug
    that is unknown or no longer open is ignored without a word."""

    form_class = VolunteerApplicationForm
    template_name = "volunteers/apply.html"
    success_url = reverse_lazy("volunteers:thanks")
    rate_limit_scope = "volunteer-apply"
    rate_limited_template = "volunteers/rate_limited.html"

    def kept_for_later(self, request) -> dict:
        # What they wrote about themselves, to copy: a busy shared network (a school's, a
        # library's) can reach the limit, and nothing typed should be lost.
        return {"typed_message": request.POST.get("message", "")[:20000]}

    def get_initial(self):
        initial = super().get_initial()
        # A slug with a NUL in it cannot even be looked up (PostgreSQL refuses it): ignored.
        slugs = [
            slug
            for slug in self.request.GET.getlist("role")[:20]
            if slug and "\x00" not in slug and len(slug) <= 200
        ]
        if slugs:
            chosen = list(
                VolunteerRole.objects.current().filter(slug__in=slugs).values_list("pk", flat=True)
            )
            if chosen:
                initial["roles"] = chosen
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        application = services.volunteer_application_submit(
            data=data,
            roles=data["roles"],
            submission_key=self.ticket.key,
            privacy_notice_version=self.ticket.privacy_notice_version,
            site_url=site_url(self.request),
        )
        if application is None:
            # The second of a double click: its thanks page (the one the browser shows)
            # still offers to withdraw what the first one saved.
            application = services.volunteer_application_made_by(submission_key=self.ticket.key)
        response = super().form_valid(form)
        thanks.remember(
            response,
            email=data["email"],
            application=application,
            role_slugs=[role.slug for role in data["roles"]],
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            language_suggestions=LANGUAGE_SUGGESTIONS,
            young_people_projects=young_people_projects(),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class ThanksView(TemplateView):
    """Says where the confirmation went, and offers to send it again or start again.

    The address comes from a signed, short-lived cookie that only this page's address
    receives (``volunteers/thanks.py``), never from the URL, and this page is never kept
    by any cache. No session is made: the rest of the site stays cacheable for this visitor.
    """

    template_name = "volunteers/thanks.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sent = thanks.read(self.request)
        context.update(
            sent_to=sent.email if sent else "",
            can_start_again=bool(sent and sent.application_id),
            resent=bool(sent and sent.resent),
        )
        return context

    def post(self, request, *args, **kwargs):
        sent = thanks.read(request)
        if sent is None:
            # Too late (or never here): the page explains what to do without the buttons.
            return HttpResponseRedirect(request.path)
        if request.POST.get("action") == "start-again":
            return self.start_again(request, sent)
        return self.send_again(request, sent)

    def send_again(self, request, sent):
        limits = settings.VOLUNTEERS
        limit = limits.get("RESEND_LIMIT", thanks.RESEND_LIMIT)
        window = limits.get("RESEND_WINDOW", thanks.RESEND_WINDOW)
        verdict = ratelimit.hit(request, scope="volunteer-send-again", limit=limit, window=window)
        if verdict.allowed:
            # And per address: a kept cookie replayed from many networks floods no inbox.
            verdict = services.address_rate_limit(
                email=sent.email, scope="volunteer-send-again", limit=limit, window=window
            )
        if not verdict.allowed:
            context = self.get_context_data(
                resend_limited_minutes=retry_minutes(verdict.retry_after)
            )
            response = self.render_to_response(context, status=429)
            response["Retry-After"] = str(verdict.retry_after)
            return response
        services.volunteer_application_send_again(email=sent.email, site_url=site_url(request))
        response = HttpResponseRedirect(request.path)
        thanks.remember(response, sent=sent, resent=True)
        return response

    def start_again(self, request, sent):
        if sent.application_id:
            services.volunteer_application_start_again(public_id=sent.application_id)
        query = urlencode([("role", slug) for slug in sent.role_slugs])
        response = HttpResponseRedirect(
            reverse("volunteers:apply") + (f"?{query}" if query else "")
        )
        thanks.forget(response)
        return response


@method_decorator(never_cache, name="dispatch")
class LinkView(View):
    """A link from an email: GET explains and asks for one click; POST acts.

    Acting on POST only means mail scanners that fetch links cannot confirm
    or withdraw on someone's behalf.
    """

    purpose = ""
    template_name = ""

    def get_application(self, token):
        """Return (application or None, problem template or None, status)."""
        try:
            public_id = tokens.read_link_token(token, self.purpose)
        except tokens.ExpiredTokenError:
            return None, "expired", 410
        except tokens.InvalidTokenError:
            return None, "invalid", 400
        application = VolunteerApplication.objects.filter(public_id=public_id).first()
        if application is None:
            return None, "gone", 404
        return application, None, 200

    def render_page(self, request, application, problem, status, **context):
        return render(
            request,
            self.template_name,
            {"application": application, "problem": problem, **context},
            status=status,
        )

    def get(self, request, token):
        application, problem, status = self.get_application(token)
        return self.render_page(request, application, problem, status)


class ConfirmView(LinkView):
    purpose = tokens.CONFIRM
    template_name = "volunteers/confirm.html"

    def post(self, request, token):
        application, problem, status = self.get_application(token)
        if application is None:
            return self.render_page(request, application, problem, status)
        services.volunteer_application_confirm(
            application=application,
            site_url=site_url(request),
            admin_url=reverse(
                "admin:volunteers_volunteerapplication_change", args=[application.pk]
            ),
        )
        return HttpResponseRedirect(request.path)


class WithdrawView(LinkView):
    purpose = tokens.WITHDRAW
    template_name = "volunteers/withdraw.html"

    def post(self, request, token):
        application, problem, status = self.get_application(token)
        if application is None:
            return self.render_page(request, application, problem, status)
        services.volunteer_application_erase(
            applications=[application], reason=PurgedApplicationCount.Reason.WITHDRAWN
        )
        return HttpResponseRedirect(reverse("volunteers:withdrawn"))


@method_decorator(never_cache, name="dispatch")
class WithdrawnView(TemplateView):
    template_name = "volunteers/withdrawn.html"
