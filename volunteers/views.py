"""Volunteering: the roles, the sign-up form, and the links in volunteers' emails.

The form, its thanks and the emails' links are never cached (``never_cache``): each form
carries its own CSRF token and ticket, and a link's page is one volunteer's.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, ListView, TemplateView

from core import ratelimit
from core.publishing import Audience
from programme.models import Page, Project
from volunteers import services, tokens
from volunteers.forms import LANGUAGE_SUGGESTIONS, VolunteerApplicationForm
from volunteers.models import PurgedApplicationCount, VolunteerApplication, VolunteerRole


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
        return VolunteerRole.objects.current().select_related("strand")


@method_decorator(never_cache, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class ApplyView(FormView):
    form_class = VolunteerApplicationForm
    template_name = "volunteers/apply.html"
    success_url = reverse_lazy("volunteers:thanks")
    ticket = None
    ticket_problem = ""

    def privacy_notice_version(self) -> str:
        version = (
            Page.objects.published().filter(slug="privacy").values_list("version", flat=True)
        ).first()
        return version or ""

    def get_initial(self):
        return {"ticket": tokens.FormTicket.issue(self.privacy_notice_version()).dumps()}

    def post(self, request, *args, **kwargs):
        limits = settings.VOLUNTEERS
        verdict = ratelimit.hit(
            request,
            scope="volunteer-apply",
            limit=limits["RATE_LIMIT"],
            window=limits["RATE_LIMIT_WINDOW"],
        )
        if not verdict.allowed:
            response = render(
                request,
                "volunteers/rate_limited.html",
                {"retry_minutes": max(1, -(-verdict.retry_after // 60))},
                status=429,
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
        form = self.get_form()
        if form.honeypot_filled:
            # A robot: look exactly like success, keep nothing.
            return HttpResponseRedirect(self.get_success_url())
        try:
            self.ticket = tokens.FormTicket.loads(request.POST.get("ticket", ""))
        except tokens.InvalidTokenError:
            self.ticket_problem = _(
                "Something went wrong with the form. Please check your answers and send it again."
            )
        else:
            if self.ticket.seconds_open() < limits["MIN_FILL_SECONDS"]:
                self.ticket_problem = _(
                    "That was very quick! Please check your answers and send the form again."
                )
        if form.is_valid() and not self.ticket_problem:
            return self.form_valid(form)
        return self.form_invalid(form)

    def form_invalid(self, form):
        # Keep the ticket if it was sound (so a double click still counts once), else a new one.
        data = form.data.copy()
        ticket = self.ticket if self.ticket and not self.ticket_problem else None
        if ticket is None:
            ticket = tokens.FormTicket.issue(self.privacy_notice_version())
        data["ticket"] = ticket.dumps()
        form.data = data
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        data = form.cleaned_data
        services.volunteer_application_submit(
            data=data,
            roles=data["roles"],
            submission_key=self.ticket.key,
            privacy_notice_version=self.ticket.privacy_notice_version,
            site_url=site_url(self.request),
        )
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        summary = form.error_summary() if form.is_bound else []
        if self.ticket_problem:
            summary.insert(0, ("volunteer-form", self.ticket_problem))
        context.update(
            error_summary=summary,
            language_suggestions=LANGUAGE_SUGGESTIONS,
            young_people_projects=young_people_projects(),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class ThanksView(TemplateView):
    template_name = "volunteers/thanks.html"


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
