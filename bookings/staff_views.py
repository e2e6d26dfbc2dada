"""Staff pages for running a date booked on the site: attendee counts, the printable
sign-in sheet and the check-in page for a phone at the door.

They are routed by ``BookingAdmin.get_urls`` (bookings/admin.py) through the admin site,
so they have its sign-in, second factor, CSRF and security headers; each view checks the
booking permissions itself as well.

Access needs are special-category personal data: only staff with
``ACCESS_NEEDS_PERMISSION`` see them (the Booking coordinator group and superusers).
"""

import dataclasses
import datetime
import logging
import re
import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bookings import services, tokens
from bookings.models import Booking, BookingStatus, counting_q
from events.models import BookingMode, Occurrence

logger = logging.getLogger(__name__)

# Who may read access needs: Booking's own permission (Meta.permissions), held by the
# Booking coordinator group (migration 0008) and superusers.
ACCESS_NEEDS_PERMISSION = "bookings.view_access_needs"


def can_see_access_needs(user) -> bool:
    return user.has_perm(ACCESS_NEEDS_PERMISSION)


# ---------------------------------------------------------------- counts
@dataclasses.dataclass(frozen=True)
class DateCounts:
    """How a date's bookings stand: bookings (and places) by state, and places left."""

    confirmed: int
    confirmed_places: int
    held: int
    waiting: int
    offered: int
    cancelled: int
    attended: int
    attended_places: int
    places: int
    places_left: int


def date_counts(occurrence: Occurrence, *, now: datetime.datetime | None = None) -> DateCounts:
    """Every count of the attendee list's header, in one query."""
    now = now or timezone.now()
    counts = Booking.objects.filter(occurrence=occurrence).aggregate(
        confirmed=Count("pk", filter=Q(status=BookingStatus.CONFIRMED)),
        confirmed_places=Coalesce(Sum("places", filter=Q(status=BookingStatus.CONFIRMED)), 0),
        held=Count("pk", filter=Q(status=BookingStatus.HELD, hold_expires_at__gt=now)),
        waiting=Count("pk", filter=Q(status=BookingStatus.WAITING)),
        offered=Count("pk", filter=Q(status=BookingStatus.OFFERED)),
        cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED)),
        attended=Count("pk", filter=Q(checked_in_at__isnull=False)),
        attended_places=Coalesce(Sum("places", filter=Q(checked_in_at__isnull=False)), 0),
        taken=Coalesce(Sum("places", filter=counting_q(now)), 0),
    )
    places = occurrence.places or 0
    taken = counts.pop("taken")
    return DateCounts(**counts, places=places, places_left=max(0, places - taken))


def tally(counts: DateCounts) -> str:
    return _("%(arrived)d of %(expected)d places checked in") % {
        "arrived": counts.attended_places,
        "expected": counts.confirmed_places,
    }


def date_label(occurrence: Occurrence) -> str:
    start = occurrence.local_start
    return f"{occurrence.event.title}, {start:%a %d/%m/%Y %H:%M}"


# ---------------------------------------------------------------- checking in
@dataclasses.dataclass(frozen=True)
class CheckIn:
    """What happened at the door, in words for the live region."""

    ok: bool
    message: str
    booking: Booking | None = None
    state: str = "error"  # "checked-in", "already", "undone", "error"

    def as_json(self) -> dict:
        data = {"ok": self.ok, "message": self.message, "state": self.state}
        if self.booking is not None:
            data["booking"] = self.booking.public_id.hex
        return data


def _who(booking: Booking) -> str:
    return ngettext("%(name)s, %(places)d place", "%(name)s, %(places)d places", booking.places) % {
        "name": booking.name,
        "places": booking.places,
    }


def check_in_result(outcome: services.CheckInOutcome) -> CheckIn:
    """The words for what a check-in (or undo) did (bookings.services does it)."""
    booking = outcome.booking
    if outcome.state == services.CheckInState.OTHER_DATE:
        other = Occurrence.objects.select_related("event").get(pk=booking.occurrence_id)
        message = _("Not for this date: %(who)s booked %(date)s.") % {
            "who": _who(booking),
            "date": date_label(other),
        }
        return CheckIn(False, message, booking)
    if outcome.state == services.CheckInState.NOT_CONFIRMED:
        message = _("Not checked in: %(who)s — this booking is “%(status)s”.") % {
            "who": _who(booking),
            "status": booking.get_status_display(),
        }
        return CheckIn(False, message, booking)
    if outcome.state == services.CheckInState.ALREADY:
        message = _("Already checked in at %(time)s: %(who)s.") % {
            "time": f"{timezone.localtime(booking.checked_in_at):%H:%M}",
            "who": _who(booking),
        }
        return CheckIn(True, message, booking, "already")
    if outcome.state == services.CheckInState.UNDONE:
        return CheckIn(
            True, _("Check-in undone: %(who)s.") % {"who": _who(booking)}, booking, "undone"
        )
    return CheckIn(True, _("Checked in: %(who)s.") % {"who": _who(booking)}, booking, "checked-in")


REFERENCE = re.compile(r"^#?\s*(\d{1,12})$")


def find_booking(code: str, occurrence: Occurrence) -> Booking | None:
    """The booking a scanned or typed code names: the QR code's signed token, the
    booking's reference number (for this date) or its public id."""
    code = (code or "").strip()
    if not code:
        return None
    if match := REFERENCE.match(code):
        return Booking.objects.filter(pk=int(match.group(1)), occurrence=occurrence).first()
    try:
        public_id = uuid.UUID(code)
    except ValueError:
        try:
            public_id = tokens.read_checkin_token(code)
        except tokens.InvalidTokenError:
            return None
    return Booking.objects.filter(public_id=public_id).first()


# ---------------------------------------------------------------- pages
def _occurrence_or_404(pk: int) -> Occurrence:
    occurrence = (
        Occurrence.objects.select_related("event").filter(pk=pk, event__booking=BookingMode.PORTAL)
    ).first()
    if occurrence is None:
        raise Http404
    return occurrence


def _context(model_admin, request, **kwargs) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "can_see_access_needs": can_see_access_needs(request.user),
        **kwargs,
    }


def dates_view(model_admin, request):
    """Dates booked on the site, soonest first, with their counts: where attendee lists,
    sign-in sheets and check-in start."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    now = timezone.now()
    show_past = request.GET.get("when") == "past"
    dates = Occurrence.objects.filter(event__booking=BookingMode.PORTAL).select_related("event")
    dates = (
        dates.filter(end__lt=now).order_by("-start")
        if show_past
        else dates.filter(end__gte=now).order_by("start")
    )
    dates = dates.annotate(
        confirmed_places=Coalesce(
            Sum("bookings__places", filter=Q(bookings__status=BookingStatus.CONFIRMED)), 0
        ),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
        attended_places=Coalesce(
            Sum("bookings__places", filter=Q(bookings__checked_in_at__isnull=False)), 0
        ),
    )[:100]
    context = _context(
        model_admin, request, title=_("Attendee lists"), dates=dates, show_past=show_past
    )
    return TemplateResponse(request, "bookings/staff/dates.html", context)


def sign_in_sheet_view(model_admin, request, occurrence):
    """A printable list of the confirmed people for one date: a box to tick on arrival,
    access needs marked (and listed) for the staff who may see them."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    occurrence = _occurrence_or_404(occurrence)
    bookings = list(
        Booking.objects.filter(occurrence=occurrence, status=BookingStatus.CONFIRMED).order_by(
            "name", "pk"
        )
    )
    see_needs = can_see_access_needs(request.user)
    context = _context(
        model_admin,
        request,
        title=_("Sign-in sheet"),
        occurrence=occurrence,
        bookings=bookings,
        counts=date_counts(occurrence),
        with_needs=[booking for booking in bookings if booking.access_needs] if see_needs else [],
        printed_at=timezone.localtime(),
    )
    return TemplateResponse(request, "bookings/staff/sign_in_sheet.html", context)


def checkin_today_view(model_admin, request):
    """The dates booked on the site today (and any under way): choose one at the door."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    today = timezone.localdate()
    dates = list(
        Occurrence.objects.filter(event__booking=BookingMode.PORTAL)
        .on_day(today)
        .select_related("event")
    )
    if len(dates) == 1 and "all" not in request.GET:
        return HttpResponseRedirect(reverse("admin:bookings_booking_checkin", args=[dates[0].pk]))
    soon = list(
        Occurrence.objects.filter(event__booking=BookingMode.PORTAL)
        .between(today + datetime.timedelta(days=1), today + datetime.timedelta(days=7))
        .select_related("event")[:20]
    )
    context = _context(
        model_admin, request, title=_("Check in at the door"), dates=dates, soon=soon
    )
    return TemplateResponse(request, "bookings/staff/checkin_choose.html", context)


def _back(request, occurrence) -> str:
    """Back to the check-in page, keeping the name searched for."""
    url = reverse("admin:bookings_booking_checkin", args=[occurrence.pk])
    query = (request.POST.get("q") or "").strip()[:100]
    return f"{url}?{urlencode({'q': query})}" if query else url


def _act(request, occurrence) -> CheckIn:
    action = request.POST.get("action", "check-in")
    code = request.POST.get("booking") or request.POST.get("token") or ""
    booking = find_booking(code, occurrence)
    if booking is None:
        return CheckIn(
            False,
            _(
                "This code is not a booking we know: it may be mistyped or not one of ours. "
                "Search for the person's name instead."
            ),
        )
    if action == "undo":
        if booking.occurrence_id != occurrence.pk:
            return CheckIn(False, _("Not for this date: nothing was undone."), booking)
        return check_in_result(services.booking_undo_check_in(booking=booking, by=request.user))
    return check_in_result(
        services.booking_check_in(booking=booking, occurrence=occurrence, by=request.user)
    )


def checkin_view(model_admin, request, occurrence):
    """One date at the door: search by name (a plain GET form), a big button per
    booking, undo; the QR code scanned with the camera (static/js/checkin.js) or typed."""
    if not model_admin.has_change_permission(request):
        raise PermissionDenied
    occurrence = _occurrence_or_404(occurrence)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        result = _act(request, occurrence)
        if wants_json:
            # Handled either way: what happened is in the answer ("ok" and the message).
            return JsonResponse({**result.as_json(), "tally": tally(date_counts(occurrence))})
        messages.add_message(
            request, messages.SUCCESS if result.ok else messages.ERROR, result.message
        )
        return HttpResponseRedirect(_back(request, occurrence))
    if request.method not in ("GET", "HEAD"):
        return JsonResponse({"error": "GET or POST."}, status=405)
    query = (request.GET.get("q") or "").strip()[:100]
    bookings = Booking.objects.filter(
        occurrence=occurrence, status=BookingStatus.CONFIRMED
    ).order_by("name", "pk")
    if query:
        bookings = bookings.filter(Q(name__icontains=query) | Q(email__icontains=query))
    context = _context(
        model_admin,
        request,
        title=_("Check in"),
        occurrence=occurrence,
        bookings=list(bookings[:200]),
        query=query,
        counts=date_counts(occurrence),
        endpoint=reverse("admin:bookings_booking_checkin", args=[occurrence.pk]),
    )
    return TemplateResponse(request, "bookings/staff/checkin.html", context)
