"""The visitor's booking pages: book a date, confirm by email, manage, the personal calendar.

Every page here is ``private_page``: never cached (each carries a CSRF token, a
form ticket or one person's booking), ``noindex``, and ``Referrer-Policy:
same-origin``, so the signed token in a link's address never reaches another
site. They load nothing from other sites.
"""

import functools

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import TemplateView

from bookings import services, tokens
from bookings.forms import BookingForm, PlacesForm
from bookings.ics import CONTENT_TYPE, personal_calendar
from bookings.models import Booking, BookingStatus, CancelledBy, ReleaseChannel, VenueRelease
from core import ratelimit
from events.models import Occurrence
from volunteers.spam import BROKEN_TICKET, STALE_TICKET, privacy_notice_version


def private_page(view):
    """Never cached, never indexed, and no referrer: the page is one person's."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # Not "no-referrer": browsers then send "Origin: null" with the page's forms, which
        # CSRF protection rightly refuses. "same-origin" keeps the token from other sites.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return never_cache(wrapped)


def bookable_occurrence(pk: int) -> Occurrence:
    """A date of a published (or cancelled) event, or 404: drafts are nobody's to book."""
    occurrence = Occurrence.objects.published().with_event().filter(pk=pk).first()
    if occurrence is None:
        raise Http404
    return occurrence


@method_decorator(private_page, name="dispatch")
@method_decorator(sensitive_post_parameters(), name="dispatch")
class BookView(View):
    """One date: places left (or the waiting list), and the form."""

    template_name = "bookings/book.html"
    query_parameters = ()

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.occurrence = bookable_occurrence(kwargs["occurrence"])
        self.now = timezone.now()
        self.state = services.availability(occurrence=self.occurrence, now=self.now)
        self.ticket = None
        self.ticket_problem = ""

    def make_form(self, data=None):
        return BookingForm(
            data,
            initial={"ticket": tokens.FormTicket.issue(privacy_notice_version()).dumps()},
            most_places=services.most_places(self.occurrence),
            access_needs_days=settings.BOOKINGS["ACCESS_NEEDS_DAYS"],
        )

    def render_page(self, form, status=200, summary=()):
        left = 0
        queue = False
        if self.state == services.Availability.OPEN:
            left = services.places_left(occurrence=self.occurrence, now=self.now)
            queue = services.has_queue(occurrence=self.occurrence)
        context = {
            "occurrence": self.occurrence,
            "event": self.occurrence.event,
            "state": self.state,
            "open": self.state == services.Availability.OPEN,
            "closed_message": services.closed_message(self.state),
            "places_left": left,
            "full": left == 0 or queue,
            "form": form,
            "error_summary": list(summary),
        }
        status = 404 if self.state == services.Availability.NOT_BOOKED_HERE else status
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_page(self.make_form())

    def post(self, request, *args, **kwargs):
        if self.state != services.Availability.OPEN:
            return self.render_page(self.make_form(), status=409)
        limits = settings.BOOKINGS
        verdict = ratelimit.hit(
            request,
            scope="booking",
            limit=limits["RATE_LIMIT"],
            window=limits["RATE_LIMIT_WINDOW"],
        )
        if not verdict.allowed:
            response = render(
                request,
                "bookings/rate_limited.html",
                {
                    "retry_minutes": max(1, -(-verdict.retry_after // 60)),
                    "occurrence": self.occurrence,
                },
                status=429,
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
        form = self.make_form(request.POST)
        if form.honeypot_filled:
            # A robot: look exactly like success, keep nothing.
            return HttpResponseRedirect(reverse("bookings:check_email"))
        try:
            self.ticket = tokens.FormTicket.loads(request.POST.get("ticket", ""))
        except tokens.InvalidTokenError:
            self.ticket_problem = BROKEN_TICKET
        else:
            if self.ticket.seconds_open() < limits["MIN_FILL_SECONDS"]:
                self.ticket_problem = _(
                    "That was very quick! Please check your answers and send the form again."
                )
            elif self.ticket.is_stale():  # form_invalid issues a new ticket
                self.ticket_problem = STALE_TICKET
        if form.is_valid() and not self.ticket_problem:
            self.check_places_left(form)
        if form.is_valid() and not self.ticket_problem:
            try:
                services.booking_submit(
                    occurrence=self.occurrence,
                    data=form.cleaned_data,
                    submission_key=self.ticket.key,
                    privacy_notice_version=self.ticket.privacy_notice_version,
                    # The page's language (from its address): the booking's emails speak it.
                    language=translation.get_language(),
                )
            except services.BookingError as error:
                form.add_error(None, error.message)
            else:
                return HttpResponseRedirect(reverse("bookings:check_email"))
        return self.form_invalid(form)

    def check_places_left(self, form) -> None:
        """Asking for more places than are left (but some are): say so, rather than queue."""
        left = services.places_left(occurrence=self.occurrence, now=self.now)
        wanted = form.cleaned_data["places"]
        if 0 < left < wanted and not services.has_queue(occurrence=self.occurrence):
            form.add_error(
                "places",
                ngettext(
                    "Only %(left)d place is left: choose %(left)d, or come back if more free up.",
                    "Only %(left)d places are left: choose %(left)d or fewer.",
                    left,
                )
                % {"left": left},
            )

    def form_invalid(self, form):
        # Keep the ticket if it was sound (so a double click still counts once), else a new one.
        data = form.data.copy()
        ticket = self.ticket if self.ticket and not self.ticket_problem else None
        if ticket is None:
            ticket = tokens.FormTicket.issue(privacy_notice_version())
        data["ticket"] = ticket.dumps()
        form.data = data
        summary = form.error_summary()
        if self.ticket_problem:
            summary.insert(0, ("booking-form", self.ticket_problem))
        return self.render_page(form, summary=summary)


@method_decorator(private_page, name="dispatch")
class CheckEmailView(TemplateView):
    """The same page whatever happened: it never says whether an address booked before."""

    template_name = "bookings/check_email.html"


class LinkView(View):
    """A link from an email. GET explains (and asks for one click where it acts); POST acts.

    Acting on POST only means mail scanners that fetch links change nothing.
    """

    purpose = ""
    template_name = ""

    @method_decorator(private_page)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_booking(self, token):
        """Return (booking or None, problem or None, status)."""
        try:
            public_id = tokens.read_link_token(token, self.purpose)
        except tokens.ExpiredTokenError:
            return None, "expired", 410
        except tokens.InvalidTokenError:
            return None, "invalid", 400
        booking = (
            Booking.objects.select_related("occurrence__event__venue")
            .filter(public_id=public_id)
            .first()
        )
        if booking is None:
            return None, "gone", 404
        return booking, None, 200

    def problem_page(self, problem, status):
        return render(
            self.request, "bookings/link_problem.html", {"problem": problem}, status=status
        )


class ConfirmView(LinkView):
    purpose = tokens.CONFIRM
    template_name = "bookings/confirm.html"

    def get(self, request, token):
        booking, problem, status = self.get_booking(token)
        if booking is None:
            return self.problem_page(problem, status)
        if booking.email_confirmed_at is not None:
            return HttpResponseRedirect(manage_path(booking))
        return render(request, self.template_name, {"booking": booking, **describe(booking)})

    def post(self, request, token):
        booking, problem, status = self.get_booking(token)
        if booking is None:
            return self.problem_page(problem, status)
        services.booking_confirm_email(booking=booking)
        return HttpResponseRedirect(manage_path(booking))


def manage_path(booking) -> str:
    token = tokens.make_link_token(booking.public_id, tokens.MANAGE)
    return reverse("bookings:manage", kwargs={"token": token})


def describe(booking, *, now=None) -> dict:
    occurrence = booking.occurrence
    return {
        "occurrence": occurrence,
        "event": occurrence.event,
        "is_over": occurrence.end < (now or timezone.now()),
    }


class ManageView(LinkView):
    """One booking: its details (the address if entitled), places, cancel, calendar, offer."""

    purpose = tokens.MANAGE
    template_name = "bookings/manage.html"

    def get(self, request, token):
        booking, problem, status = self.get_booking(token)
        if booking is None:
            return self.problem_page(problem, status)
        now = timezone.now()
        venue = services.venue_for(booking=booking, now=now)
        if venue is not None and services.is_withheld_release(booking=booking, now=now):
            VenueRelease.objects.create(
                booking=booking, released_at=now, channel=ReleaseChannel.MANAGE_PAGE
            )
        context = describe(booking, now=now)
        started = booking.occurrence.start <= now or booking.occurrence.cancelled
        changeable = not started and booking.status in (
            BookingStatus.CONFIRMED,
            BookingStatus.HELD,
            BookingStatus.WAITING,
        )
        most = services.most_places(booking.occurrence)
        # More places only while booking is open and nobody waits; fewer until the start.
        places_note = (
            services.more_places_refusal(booking=booking, occurrence=booking.occurrence, now=now)
            if changeable
            else ""
        )
        if places_note:
            most = min(most, booking.places)
        context.update(
            booking=booking,
            venue=venue,
            withheld=booking.occurrence.event.is_announced_on_booking and venue is None,
            release_at=services.release_at(booking.occurrence),
            started=started,
            can_change=changeable and most > 1,
            places_note=places_note,
            can_cancel=not started and booking.is_active,
            places_form=PlacesForm(initial={"places": booking.places}, most_places=most),
            ics_url=reverse(
                "bookings:ics",
                kwargs={"token": tokens.make_link_token(booking.public_id, tokens.CALENDAR)},
            )
            if booking.status == BookingStatus.CONFIRMED and not started
            else "",
            book_url=reverse("bookings:book", kwargs={"occurrence": booking.occurrence_id}),
        )
        return render(request, self.template_name, context)

    def post(self, request, token):
        booking, problem, status = self.get_booking(token)
        if booking is None:
            return self.problem_page(problem, status)
        action = request.POST.get("action")
        if action == "cancel":
            if services.booking_cancel(booking=booking, by=CancelledBy.VISITOR):
                messages.success(request, _("Your booking is cancelled. Thank you for telling us."))
        elif action == "accept":
            if services.booking_accept_offer(booking=booking):
                messages.success(request, _("The place is yours: your booking is confirmed."))
            else:
                messages.error(request, _("Sorry: this offer has ended."))
        elif action == "places":
            form = PlacesForm(request.POST, most_places=services.most_places(booking.occurrence))
            if form.is_valid():
                try:
                    services.booking_change_places(
                        booking=booking, places=form.cleaned_data["places"]
                    )
                except services.BookingError as error:
                    messages.error(request, error.message)
                else:
                    messages.success(request, _("Your booking is updated."))
            else:
                messages.error(request, _("Choose a number of places from the list."))
        return HttpResponseRedirect(request.path)


class CalendarView(LinkView):
    """The attendee's own calendar file: 410 Gone once the booking or the date is over."""

    purpose = tokens.CALENDAR

    def get(self, request, token):
        booking, problem, status = self.get_booking(token)
        if booking is None:
            if problem == "gone":
                return HttpResponse(status=410, content_type="text/plain; charset=utf-8")
            return self.problem_page(problem, status)
        now = timezone.now()
        occurrence = booking.occurrence
        if (
            booking.status != BookingStatus.CONFIRMED
            or occurrence.cancelled
            or occurrence.end < now
        ):
            return HttpResponse(
                _("This booking has ended."), status=410, content_type="text/plain; charset=utf-8"
            )
        venue = services.venue_for(booking=booking, now=now)
        # The file speaks the visitor's language, whichever address fetched it.
        with translation.override(booking.email_language):
            manage_url = request.build_absolute_uri(manage_path(booking))
        body = personal_calendar(booking=booking, venue=venue, manage_url=manage_url)
        if venue is not None and services.is_withheld_release(booking=booking, now=now):
            VenueRelease.objects.create(
                booking=booking, released_at=now, channel=ReleaseChannel.CALENDAR
            )
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="booking.ics"'
        response["Cache-Control"] = "private, no-store"
        return response
