"""What every public form of ours shares: a honeypot, a signed ticket, a rate limit, and an
error summary that links to each field.

The volunteer form and the contact form both use it (``volunteers.views.ApplyView``,
``volunteers.contact_views.ContactView``). A robot that fills the honeypot is shown the thanks
page and nothing is kept; a form sent faster than a person could fill it is not taken, with
a message only when nothing else is wrong (a person with a field to fix fixes it, and by then
the ticket is old enough); too many posts from one network get a 429 page.
"""

from django import forms
from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from programme.models import Page
from volunteers import tokens

TOO_QUICK = _("We couldn’t send that yet — please check your answers and send again.")
BROKEN_TICKET = _(
    "Something went wrong with the form. Please check your answers and send it again."
)
STALE_TICKET = _(
    "This form was open for a long time, so please send it again: your answers are "
    "still here to check."
)


class SpamTrapForm(forms.Form):
    """The honeypot and the ticket, for any form; mix in after ``forms.ModelForm``."""

    # Hidden from everyone, assistive technology included. People leave it empty.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    ticket = forms.CharField(widget=forms.HiddenInput, required=False)

    #: The id of the ``<form>`` element: where a message about the whole form links to.
    form_anchor = "form"

    @property
    def honeypot_filled(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every error, in the order the fields appear."""
        items = [(self.form_anchor, message) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            anchor = bound.id_for_label or bound.auto_id
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                anchor = f"{bound.auto_id}_0"
            items.extend((anchor, message) for message in self.errors[name])
        return items


def privacy_notice_version() -> str:
    """The version of the published privacy notice the form links to ("" if none)."""
    version = (
        Page.objects.published().filter(slug="privacy").values_list("version", flat=True)
    ).first()
    return version or ""


def retry_minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))


class SpamProtectedFormView:
    """For a ``FormView`` whose form mixes in ``SpamTrapForm``. Subclasses name their rate
    limit's scope and the page shown when it is reached."""

    rate_limit_scope = ""
    rate_limited_template = ""
    ticket = None
    ticket_problem = ""

    def get_initial(self):
        initial = super().get_initial()
        initial["ticket"] = tokens.FormTicket.issue(privacy_notice_version()).dumps()
        return initial

    def rate_limited(self, request):
        limits = settings.VOLUNTEERS
        verdict = ratelimit.hit(
            request,
            scope=self.rate_limit_scope,
            limit=limits["RATE_LIMIT"],
            window=limits["RATE_LIMIT_WINDOW"],
        )
        if verdict.allowed:
            return None
        response = render(
            request,
            self.rate_limited_template,
            {"retry_minutes": retry_minutes(verdict.retry_after), **self.kept_for_later(request)},
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response

    def kept_for_later(self, request) -> dict:
        """What the rate-limited page gives back of the post, so nothing typed is lost
        (a shared network, a school's, can reach the limit): nothing by default. The page
        is never kept by any cache (the views are ``never_cache``)."""
        return {}

    def post(self, request, *args, **kwargs):
        if (response := self.rate_limited(request)) is not None:
            return response
        form = self.get_form()
        if form.honeypot_filled:
            # A robot: look exactly like success, keep nothing.
            return HttpResponseRedirect(self.get_success_url())
        try:
            self.ticket = tokens.FormTicket.loads(request.POST.get("ticket", ""))
        except tokens.InvalidTokenError:
            self.ticket_problem = BROKEN_TICKET
        else:
            if self.ticket.seconds_open() < settings.VOLUNTEERS["MIN_FILL_SECONDS"]:
                self.ticket_problem = TOO_QUICK
            elif self.ticket.is_stale():
                self.ticket, self.ticket_problem = None, STALE_TICKET  # a new one is issued
        if not form.is_valid():
            # The fields' own errors say what to do; a message about the ticket as well
            # would only puzzle (or accuse) a person. The ticket keeps ageing meanwhile.
            self.ticket_problem = ""
            return self.form_invalid(form)
        if self.ticket_problem:
            return self.form_invalid(form)
        return self.form_valid(form)

    def form_invalid(self, form):
        # Keep a sound ticket (a double click still counts once, and it keeps ageing past the
        # minimum fill time); a broken or missing one is replaced. Everything typed stays.
        data = form.data.copy()
        ticket = self.ticket or tokens.FormTicket.issue(privacy_notice_version())
        data["ticket"] = ticket.dumps()
        form.data = data
        return self.render_to_response(self.get_context_data(form=form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        summary = form.error_summary() if form.is_bound else []
        if self.ticket_problem:
            summary.insert(0, (form.form_anchor, self.ticket_problem))
        context["error_summary"] = summary
        return context
