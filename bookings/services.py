"""What happens when someone books, confirms, changes, cancels, waits, is offered a place…

Every write with a side effect lives here, in a named keyword-only function.

Capacity: every function that counts places and then writes locks the
occurrence row first (``_lock``), so two bookings for the last place count one
after the other; the database trigger (migration 0002) is the backstop.

Emails: a ``BookingEmail`` row (which message, never its body) is saved in the
same transaction as the change that causes it, and sent after commit
(``bookings.emails.send_booking_emails``; ``manage.py run_bookings`` retries).

Log lines name bookings by number only: never a name, an address or a message.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_variables

from bookings.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingCount,
    BookingEmail,
    BookingStatus,
    CancelledBy,
    EmailKind,
    supported_language,
)
from events.models import BookingMode, Event, EventStatus, LocationMode, Occurrence

logger = logging.getLogger(__name__)

HOUR = datetime.timedelta(hours=1)


class Availability(StrEnum):
    """Whether a date takes bookings now, and if not, why (each has its own page)."""

    OPEN = "open"
    NOT_BOOKED_HERE = "not-booked-here"
    NOT_OPEN_YET = "not-open-yet"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    STARTED = "started"


class BookingError(Exception):
    """A visitor's or staff's request that cannot be done; ``message`` says why, kindly."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _config() -> dict:
    return settings.BOOKINGS


# ---------------------------------------------------------------- the date's rules
def closes_at(occurrence: Occurrence) -> datetime.datetime:
    """When booking (and any offer) for this date ends."""
    return occurrence.booking_closes_at


def availability(*, occurrence: Occurrence, now: datetime.datetime | None = None) -> Availability:
    """Whether `occurrence` takes bookings now: the calendar's own rule
    (``Occurrence.booking_availability``, which the cached event page shows too), so the
    two can never disagree."""
    found = occurrence.booking_availability(now=_now(now))
    return Availability(found) if found else Availability.NOT_BOOKED_HERE


def places_left(*, occurrence: Occurrence, now: datetime.datetime | None = None) -> int:
    capacity = occurrence.places or 0
    taken = Booking.objects.for_occurrence(occurrence).places_taken(now=_now(now))
    return max(0, capacity - taken)


def has_queue(*, occurrence: Occurrence) -> bool:
    """Whether confirmed people wait for this date (newcomers join behind them)."""
    return Booking.objects.for_occurrence(occurrence).waiting_in_order().exists()


def most_places(occurrence: Occurrence) -> int:
    """The most places one booking may take on this date."""
    return max(1, min(occurrence.event.places_per_booking, occurrence.places or 1))


def release_at(occurrence: Occurrence) -> datetime.datetime | None:
    """When a withheld address goes to attendees (None: with the confirmation)."""
    hours = occurrence.event.venue_release_hours
    if occurrence.event.location != LocationMode.ON_BOOKING or hours is None:
        return None
    return occurrence.start - hours * HOUR


def address_entitled(*, booking: Booking, now: datetime.datetime | None = None) -> bool:
    """Whether this attendee may be told the withheld address now.

    Only for a venue announced on booking, only for a confirmed booking on a date
    still on, and only once the event's release time (if it has one) has come.
    """
    event = booking.occurrence.event
    if event.location != LocationMode.ON_BOOKING or event.venue_id is None:
        return False
    if booking.status != BookingStatus.CONFIRMED or booking.occurrence.cancelled:
        return False
    release = release_at(booking.occurrence)
    return release is None or _now(now) >= release


def venue_for(*, booking: Booking, now: datetime.datetime | None = None):
    """The venue this attendee may see: a public one, or the withheld one when entitled."""
    event = booking.occurrence.event
    if event.address_is_public:
        return event.venue
    if address_entitled(booking=booking, now=now):
        return event.venue
    return None


def is_withheld_release(*, booking: Booking, now: datetime.datetime | None = None) -> bool:
    """Whether showing this attendee their venue tells them a withheld address (log it)."""
    return address_entitled(booking=booking, now=now)


# ---------------------------------------------------------------- internals
def _lock(occurrence_id: int) -> Occurrence:
    """Lock the date's row: whoever counts places and writes does so one at a time."""
    return (
        Occurrence.objects.select_for_update(of=("self",))
        .select_related("event", "event__venue")
        .get(pk=occurrence_id)
    )


def _locked_booking(booking: Booking) -> tuple[Occurrence, Booking]:
    occurrence = _lock(booking.occurrence_id)
    locked = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    locked.occurrence = occurrence
    return occurrence, locked


def queue_email(*, booking: Booking, kind: str, details: dict | None = None) -> BookingEmail:
    """Queue one message for one booking (built when sent), and send it after commit."""
    email = BookingEmail.objects.create(booking=booking, kind=kind, details=details or {})
    _send_after_commit([email.pk])
    return email


def _send_after_commit(ids: list[int]) -> None:
    def send():
        from bookings.emails import send_booking_emails

        try:
            send_booking_emails(ids=ids)
        except Exception as error:  # never turn a saved booking into an error page
            logger.warning("Booking emails %s not sent yet: %s.", ids, type(error).__name__)

    transaction.on_commit(send)


def _confirm(booking: Booking, now: datetime.datetime) -> None:
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    booking.hold_expires_at = None
    fields = ["status", "confirmed_at", "hold_expires_at", "updated_at"]
    release = release_at(booking.occurrence)
    if release is not None and now >= release:
        # The confirmation carries the address: no separate venue email.
        booking.venue_sent_at = now
        fields.append("venue_sent_at")
    hours = booking.occurrence.event.reminder_hours
    if hours and now >= booking.occurrence.start - hours * HOUR:
        # Booked inside the reminder's window: the confirmation is the reminder.
        booking.reminder_sent_at = now
        fields.append("reminder_sent_at")
    booking.save(update_fields=fields)
    queue_email(booking=booking, kind=EmailKind.CONFIRMED)
    logger.info("Booking #%s confirmed.", booking.pk)


def _to_waiting_list(booking: Booking, now: datetime.datetime) -> None:
    booking.status = BookingStatus.WAITING
    booking.hold_expires_at = None
    booking.waiting_since = booking.waiting_since or now
    booking.save(update_fields=["status", "hold_expires_at", "waiting_since", "updated_at"])
    queue_email(booking=booking, kind=EmailKind.WAITING)
    logger.info("Booking #%s is on the waiting list.", booking.pk)


def _room_for(booking: Booking, occurrence: Occurrence, now: datetime.datetime) -> bool:
    """Whether `booking` (not yet counted) fits now, behind nobody waiting."""
    free = places_left(occurrence=occurrence, now=now)
    queue = Booking.objects.for_occurrence(occurrence).waiting_in_order().exclude(pk=booking.pk)
    return booking.places <= free and not queue.exists()


# ---------------------------------------------------------------- booking
@dataclass(frozen=True)
class BookingOutcome:
    booking: Booking | None
    # "held", "waiting", or "repeat" (the same form twice, or an address already booked).
    result: str


@sensitive_variables("data")
def booking_submit(
    *,
    occurrence: Occurrence,
    data: dict,
    submission_key,
    privacy_notice_version: str,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> BookingOutcome:
    """Hold places (or join the waiting list) and queue the email that asks to confirm.

    A form sent twice books once. An address with a booking for this date
    already gets an email about that booking instead of a second one; the
    visitor sees the same "check your email" page either way, so nothing is
    disclosed. Raises BookingError when the date does not take bookings now.

    ``language`` is the interface language the form was sent in (the active one if
    None); the booking keeps it, so every later email is written in it.
    """
    now = _now(now)
    language = supported_language(language or translation.get_language())
    try:
        with transaction.atomic():
            occurrence = _lock(occurrence.pk)
            if Booking.objects.filter(submission_key=submission_key).exists():
                logger.info("A booking form was sent twice; the second was ignored.")
                return BookingOutcome(None, "repeat")
            state = availability(occurrence=occurrence, now=now)
            if state != Availability.OPEN:
                raise BookingError(closed_message(state))
            places = int(data["places"])
            if not 1 <= places <= most_places(occurrence):
                raise BookingError(
                    gettext("Choose between 1 and %(most)d places.")
                    % {"most": most_places(occurrence)}
                )
            existing = (
                Booking.objects.for_occurrence(occurrence)
                .active()
                .with_email(data["email"])
                .order_by("pk")
                .first()
            )
            if existing is not None:
                queue_email(
                    booking=existing, kind=EmailKind.ALREADY, details={"language": language}
                )
                logger.info("Booking #%s: the same address booked again.", existing.pk)
                return BookingOutcome(existing, "repeat")
            booking = Booking(
                occurrence=occurrence,
                submission_key=submission_key,
                name=data["name"],
                email=data["email"],
                places=places,
                access_needs=data.get("access_needs", ""),
                consent_given_at=now,
                privacy_notice_version=privacy_notice_version,
                language=language,
            )
            if _room_for(booking, occurrence, now):
                booking.status = BookingStatus.HELD
                booking.hold_expires_at = now + _config()["HOLD_MINUTES"] * 60 * SECOND
            else:
                booking.status = BookingStatus.WAITING
                booking.waiting_since = now
            booking.save()
            queue_email(booking=booking, kind=EmailKind.CONFIRM)
            logger.info("Booking #%s received (%s).", booking.pk, booking.status)
            return BookingOutcome(booking, booking.status)
    except IntegrityError as error:
        if is_capacity_error(error):
            # The trigger's backstop: the lock should make this impossible.
            logger.warning("The capacity guard refused a booking for date #%s.", occurrence.pk)
            raise BookingError(
                gettext("Those places were taken a moment ago. Please try again.")
            ) from None
        # The same form racing itself (its key is unique): nothing new saved.
        logger.info("A booking form collided with an earlier submission; nothing new saved.")
        return BookingOutcome(None, "repeat")


def is_capacity_error(error: IntegrityError) -> bool:
    """Whether the database's capacity trigger (migration 0002) refused the write."""
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == "booking_within_capacity"


SECOND = datetime.timedelta(seconds=1)


def closed_message(state: Availability) -> str:
    return {
        Availability.NOT_BOOKED_HERE: gettext("This event does not take bookings on this site."),
        Availability.NOT_OPEN_YET: gettext("Booking for this date has not opened yet."),
        Availability.CLOSED: gettext("Booking for this date has closed."),
        Availability.CANCELLED: gettext("This date has been cancelled."),
        Availability.STARTED: gettext("This date has already started."),
    }.get(state, "")


def booking_confirm_email(*, booking: Booking, now: datetime.datetime | None = None) -> str:
    """The visitor followed the link in the first email. Returns the booking's new status.

    A hold still running becomes a confirmed booking. A hold that ran out is
    confirmed if the places are still free (and nobody waits), else joins the
    waiting list. A waiting-list entry is confirmed as such (and may at once be
    offered a free place). Anything else is left as it is.
    """
    now = _now(now)
    with transaction.atomic():
        occurrence, booking = _locked_booking(booking)
        if booking.email_confirmed_at is not None:  # the link followed again
            return booking.status
        booking.email_confirmed_at = now
        booking.save(update_fields=["email_confirmed_at", "updated_at"])
        if availability(occurrence=occurrence, now=now) in (
            Availability.CANCELLED,
            Availability.STARTED,
        ):
            return booking.status
        if booking.status == BookingStatus.HELD and booking.hold_expires_at > now:
            _confirm(booking, now)
        elif booking.status in (BookingStatus.HELD, BookingStatus.LAPSED):
            if availability(occurrence=occurrence, now=now) == Availability.OPEN and _room_for(
                booking, occurrence, now
            ):
                _confirm(booking, now)
            else:
                _to_waiting_list(booking, now)
        elif booking.status == BookingStatus.WAITING:
            queue_email(booking=booking, kind=EmailKind.WAITING)
            offer_next(occurrence=occurrence, now=now)
        return Booking.objects.values_list("status", flat=True).get(pk=booking.pk)


def more_places_refusal(
    *, booking: Booking, occurrence: Occurrence, now: datetime.datetime | None = None
) -> str:
    """Why this booking may not take more places now ("" when it may).

    Only while booking is open (once it has closed, fewer places or a cancellation
    only, until the start); and a booking that holds places takes no more while
    people wait, since free places go to the waiting list first.
    """
    now = _now(now)
    if availability(occurrence=occurrence, now=now) != Availability.OPEN:
        return gettext(
            "Booking for this date has closed, so no places can be added. "
            "You can still book fewer places, or cancel."
        )
    if booking.takes_places(now=now) and (
        Booking.objects.for_occurrence(occurrence)
        .waiting_in_order()
        .exclude(pk=booking.pk)
        .exists()
    ):
        return gettext(
            "People are on the waiting list for this date, and places that free up go to "
            "them first, so we cannot add places to your booking. You can still book fewer "
            "places, or cancel."
        )
    return ""


def booking_change_places(
    *, booking: Booking, places: int, now: datetime.datetime | None = None
) -> Booking:
    """Change how many places a booking takes, within capacity and the per-booking cap.

    Fewer places: until the date starts. More: only while booking is open, and, for a
    booking that holds places, only while nobody waits (``more_places_refusal``).
    """
    now = _now(now)
    with transaction.atomic():
        occurrence, booking = _locked_booking(booking)
        if booking.status not in (
            BookingStatus.CONFIRMED,
            BookingStatus.HELD,
            BookingStatus.WAITING,
        ):
            raise BookingError(gettext("This booking can no longer be changed."))
        if availability(occurrence=occurrence, now=now) in (
            Availability.CANCELLED,
            Availability.STARTED,
        ):
            raise BookingError(gettext("This date can no longer be changed."))
        most = most_places(occurrence)
        if not 1 <= places <= most:
            raise BookingError(gettext("Choose between 1 and %(most)d places.") % {"most": most})
        if places == booking.places:
            return booking
        fewer = places < booking.places
        if not fewer:
            refusal = more_places_refusal(booking=booking, occurrence=occurrence, now=now)
            if refusal:
                raise BookingError(refusal)
        if not fewer and booking.takes_places(now=now):
            free = places_left(occurrence=occurrence, now=now) + booking.places
            if places > free:
                raise BookingError(
                    gettext(
                        "Only %(free)d places are available to you on this date: "
                        "choose %(free)d or fewer."
                    )
                    % {"free": free}
                )
        booking.places = places
        booking.save(update_fields=["places", "updated_at"])
        logger.info("Booking #%s now takes %s place(s).", booking.pk, places)
        if fewer:
            offer_next(occurrence=occurrence, now=now)
        return booking


def booking_cancel(
    *,
    booking: Booking,
    by: str = CancelledBy.VISITOR,
    message: str = "",
    now: datetime.datetime | None = None,
    notify: bool = True,
    reason: str = "",
) -> bool:
    """Cancel a booking (or a waiting-list place, or decline an offer); pass its places on.

    ``by`` says who: the visitor, staff (``message`` goes into the email) or the
    system (the date was cancelled, or, with ``reason`` BOOKING_STOPPED, the event
    stopped taking bookings on this site). False when it was already over.
    """
    now = _now(now)
    with transaction.atomic():
        occurrence, booking = _locked_booking(booking)
        if booking.status not in ACTIVE_STATUSES:
            return False
        freed = booking.takes_places(now=now)
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = by
        booking.staff_message = message.strip() if by == CancelledBy.STAFF else ""
        booking.hold_expires_at = None
        booking.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "staff_message",
                "hold_expires_at",
                "updated_at",
            ]
        )
        if notify and booking.email_confirmed_at is not None:
            details = {"by": by, "reason": reason} if reason else {"by": by}
            queue_email(booking=booking, kind=EmailKind.CANCELLED, details=details)
        logger.info("Booking #%s cancelled by %s.", booking.pk, by)
        if freed:
            offer_next(occurrence=occurrence, now=now)
    return True


# ---------------------------------------------------------------- the waiting list
def offer_deadline(
    *, occurrence: Occurrence, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """Until when an offer made now may be accepted, or None when it is too late to offer.

    ``OFFER_HOURS`` at most, never beyond booking's close (so shorter when the
    date is close), and none at all when less than ``MIN_OFFER_MINUTES`` would be
    left, once booking has closed, or once the date has started.
    """
    now = _now(now)
    deadline = min(now + _config()["OFFER_HOURS"] * HOUR, closes_at(occurrence))
    if deadline - now < _config()["MIN_OFFER_MINUTES"] * 60 * SECOND:
        return None
    return deadline


def offer_next(*, occurrence: Occurrence, now: datetime.datetime | None = None) -> list[Booking]:
    """Offer free places to the waiting list, first come first served, each for a time.

    A person whose booking needs more places than are free is passed over (they
    keep their turn for a bigger gap). Nobody who cancelled a booking for this
    date themselves after joining the waiting list is offered a place on it again.
    """
    now = _now(now)
    offered = []
    with transaction.atomic():
        occurrence = _lock(occurrence.pk)
        if occurrence.cancelled or occurrence.event.booking != BookingMode.PORTAL:
            return offered
        if occurrence.event.status != EventStatus.PUBLISHED:
            return offered
        deadline = offer_deadline(occurrence=occurrence, now=now)
        if deadline is None:
            return offered
        free = places_left(occurrence=occurrence, now=now)
        if free <= 0:
            return offered
        bookings = Booking.objects.for_occurrence(occurrence)
        # Cancelled by themselves after they joined the waiting list: that place is not
        # offered back. A cancellation before they joined (they changed their mind and
        # booked again, on purpose) does not count against them.
        cancelled_since = (
            bookings.filter(status=BookingStatus.CANCELLED, cancelled_by=CancelledBy.VISITOR)
            .alias(address=Lower("email"))
            .filter(address=OuterRef("address"), cancelled_at__gt=OuterRef("waiting_since"))
        )
        candidates = (
            bookings.waiting_in_order()
            .alias(address=Lower("email"))
            .exclude(Exists(cancelled_since))
            .select_for_update(of=("self",))
        )
        for booking in candidates:
            if free <= 0:
                break
            if booking.places > free:
                continue
            booking.status = BookingStatus.OFFERED
            booking.offered_at = now
            booking.hold_expires_at = deadline
            booking.save(update_fields=["status", "offered_at", "hold_expires_at", "updated_at"])
            queue_email(booking=booking, kind=EmailKind.OFFER)
            logger.info("Booking #%s offered a place until %s.", booking.pk, deadline.isoformat())
            free -= booking.places
            offered.append(booking)
    return offered


def booking_accept_offer(*, booking: Booking, now: datetime.datetime | None = None) -> bool:
    """Take up an offered place, if the offer still stands.

    True also for a booking already confirmed (the button pressed twice: the first
    press took the place); False when the offer has ended.
    """
    now = _now(now)
    with transaction.atomic():
        occurrence, booking = _locked_booking(booking)
        if booking.status == BookingStatus.CONFIRMED:
            return True
        if booking.status != BookingStatus.OFFERED or booking.hold_expires_at <= now:
            return False
        if availability(occurrence=occurrence, now=now) in (
            Availability.CANCELLED,
            Availability.STARTED,
        ):
            return False
        _confirm(booking, now)
    return True


def expire_holds_and_offers(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Let run-out holds and offers lapse, and offer the free places to whoever waits.

    Also offers places that came free some other way (staff raised the capacity,
    a hold ran out unnoticed) to confirmed people waiting for dates still to come.
    """
    now = _now(now)
    counts = {"holds lapsed": 0, "offers lapsed": 0, "offers made": 0}
    expired = Booking.objects.filter(
        Q(status=BookingStatus.HELD) | Q(status=BookingStatus.OFFERED),
        hold_expires_at__lte=now,
    )
    waiting = Booking.objects.waiting().filter(
        email_confirmed_at__isnull=False, occurrence__start__gt=now
    )
    occurrence_ids = sorted(
        set(expired.values_list("occurrence_id", flat=True))
        | set(waiting.values_list("occurrence_id", flat=True))
    )
    for occurrence_id in occurrence_ids:
        with transaction.atomic():
            occurrence = _lock(occurrence_id)
            for booking in expired.filter(occurrence=occurrence).select_for_update(of=("self",)):
                was_offer = booking.status == BookingStatus.OFFERED
                booking.status = BookingStatus.LAPSED
                booking.lapsed_at = now
                booking.save(update_fields=["status", "lapsed_at", "updated_at"])
                if was_offer:
                    queue_email(booking=booking, kind=EmailKind.LAPSED)
                    counts["offers lapsed"] += 1
                else:
                    counts["holds lapsed"] += 1
                logger.info("Booking #%s lapsed.", booking.pk)
            counts["offers made"] += len(offer_next(occurrence=occurrence, now=now))
    return counts


# ---------------------------------------------------------------- at the door
class CheckInState(StrEnum):
    """What a check-in (or its undoing) did; the staff pages put it into words."""

    CHECKED_IN = "checked-in"
    ALREADY = "already"
    UNDONE = "undone"
    OTHER_DATE = "other-date"
    NOT_CONFIRMED = "not-confirmed"


@dataclass(frozen=True)
class CheckInOutcome:
    state: CheckInState
    booking: Booking


def _record_who(booking: Booking, by) -> None:
    """Name the member of staff in the booking's history (else the request's user)."""
    if by is not None:
        booking._history_user = by


def booking_check_in(
    *,
    booking: Booking,
    occurrence: Occurrence,
    by=None,
    now: datetime.datetime | None = None,
) -> CheckInOutcome:
    """Record that a confirmed booking arrived for `occurrence`; `by` is the member of staff.

    Doing it twice changes nothing (the first time stands: ``ALREADY``); a booking for
    another date (``OTHER_DATE``) or not confirmed (``NOT_CONFIRMED``) is refused.
    """
    now = _now(now)
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if booking.occurrence_id != occurrence.pk:
            return CheckInOutcome(CheckInState.OTHER_DATE, booking)
        if booking.status != BookingStatus.CONFIRMED:
            return CheckInOutcome(CheckInState.NOT_CONFIRMED, booking)
        if booking.checked_in_at is not None:
            return CheckInOutcome(CheckInState.ALREADY, booking)
        booking.checked_in_at = now
        _record_who(booking, by)
        booking.save(update_fields=["checked_in_at", "updated_at"])
    logger.info("Booking #%s checked in.", booking.pk)
    return CheckInOutcome(CheckInState.CHECKED_IN, booking)


def booking_undo_check_in(*, booking: Booking, by=None) -> CheckInOutcome:
    """Take back a check-in made by mistake (nothing to take back changes nothing)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if booking.checked_in_at is not None:
            booking.checked_in_at = None
            _record_who(booking, by)
            booking.save(update_fields=["checked_in_at", "updated_at"])
            logger.info("Booking #%s check-in undone.", booking.pk)
    return CheckInOutcome(CheckInState.UNDONE, booking)


# ---------------------------------------------------------------- before the date
def _hours_before_start(field: str):
    return ExpressionWrapper(
        F("occurrence__start") - F(field) * Value(HOUR), output_field=DurationField()
    )


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue each confirmed attendee's reminder, ``reminder_hours`` before their date."""
    now = _now(now)
    due = (
        Booking.objects.confirmed()
        .filter(
            reminder_sent_at__isnull=True,
            occurrence__event__reminder_hours__gt=0,
            occurrence__start__gt=now,
            occurrence__is_cancelled=False,
            occurrence__event__status=EventStatus.PUBLISHED,
        )
        .alias(remind_at=_hours_before_start("occurrence__event__reminder_hours"))
        .filter(remind_at__lte=now)
    )
    count = 0
    for booking_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update()
                .filter(pk=booking_id, reminder_sent_at__isnull=True)
                .first()
            )
            if booking is None:
                continue
            booking.reminder_sent_at = now
            booking.save(update_fields=["reminder_sent_at", "updated_at"])
            queue_email(booking=booking, kind=EmailKind.REMINDER)
            count += 1
    return count


def send_venue_details(*, now: datetime.datetime | None = None) -> int:
    """Queue the withheld address for confirmed attendees, ``venue_release_hours`` before."""
    now = _now(now)
    due = (
        Booking.objects.confirmed()
        .filter(
            venue_sent_at__isnull=True,
            occurrence__event__location=LocationMode.ON_BOOKING,
            occurrence__event__venue_release_hours__isnull=False,
            occurrence__start__gt=now,
            occurrence__is_cancelled=False,
            occurrence__event__status=EventStatus.PUBLISHED,
        )
        .alias(release=_hours_before_start("occurrence__event__venue_release_hours"))
        .filter(release__lte=now)
    )
    count = 0
    for booking_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            booking = (
                Booking.objects.select_for_update()
                .filter(pk=booking_id, venue_sent_at__isnull=True)
                .first()
            )
            if booking is None:
                continue
            booking.venue_sent_at = now
            # Their calendar file now has the address: a new revision of it.
            booking.sequence = F("sequence") + 1
            booking.save(update_fields=["venue_sent_at", "sequence", "updated_at"])
            queue_email(booking=booking, kind=EmailKind.VENUE)
            count += 1
    return count


# ---------------------------------------------------------------- when staff change a date
# Why the system cancelled a booking, when it was not because its date was cancelled
# (kept in the cancellation email's details; the email says so).
BOOKING_STOPPED = "booking-stopped"


def occurrences_changed_receiver(
    sender,
    *,
    event: Event,
    moved=(),
    cancelled=(),
    venue_changed=False,
    booking_stopped=False,
    **kwargs,
) -> None:
    """Tell the people who booked (events.signals.occurrences_changed: the contract).

    Dates cancelled: every active booking is cancelled, and those who confirmed
    their address are told. Booking on this site stopped (the event now books
    through a link, or needs no booking): every active booking of its dates still
    to come is cancelled the same way, the email saying why (and, for a link, where
    to book now). Dates moved, or the place changed: each confirmed attendee gets a
    "changed" email with a new calendar file (a higher SEQUENCE), and each confirmed
    person waiting or offered a place a short note, without the address.
    """
    cancelled = set(cancelled)
    for occurrence_id in sorted(cancelled):
        occurrence_cancelled(occurrence_id=occurrence_id)
    if booking_stopped:
        for occurrence_id in (
            Occurrence.objects.filter(event=event)
            .upcoming()
            .exclude(pk__in=cancelled)
            .values_list("pk", flat=True)
        ):
            occurrence_booking_stopped(occurrence_id=occurrence_id)
    old_starts = {
        occurrence_id: old_start.isoformat()
        for occurrence_id, old_start, _old_end in moved
        if occurrence_id not in cancelled
    }
    changed_ids = set(old_starts)
    if venue_changed:
        changed_ids |= set(
            Occurrence.objects.filter(event=event, end__gte=timezone.now()).values_list(
                "pk", flat=True
            )
        )
    for occurrence_id in sorted(changed_ids - cancelled):
        details = {"moved_from": old_starts.get(occurrence_id), "venue_changed": venue_changed}
        occurrence_changed(occurrence_id=occurrence_id, details=details)


def _cancel_active(occurrence_id: int, *, reason: str, now: datetime.datetime) -> int:
    count = 0
    with transaction.atomic():
        _lock(occurrence_id)
        for booking in Booking.objects.filter(
            occurrence_id=occurrence_id, status__in=ACTIVE_STATUSES
        ):
            booking_cancel(booking=booking, by=CancelledBy.SYSTEM, reason=reason, now=now)
            count += 1
    return count


def occurrence_cancelled(*, occurrence_id: int, now: datetime.datetime | None = None) -> int:
    count = _cancel_active(occurrence_id, reason="", now=_now(now))
    logger.info("Date #%s cancelled: %s booking(s) cancelled.", occurrence_id, count)
    return count


def occurrence_booking_stopped(*, occurrence_id: int, now: datetime.datetime | None = None) -> int:
    """The date's event stopped taking bookings on this site: cancel every active booking
    (held, confirmed, waiting, offered), telling each person who confirmed their address.
    Their personal calendar file answers 410 from then on."""
    count = _cancel_active(occurrence_id, reason=BOOKING_STOPPED, now=_now(now))
    logger.info("Date #%s no longer booked here: %s booking(s) cancelled.", occurrence_id, count)
    return count


def occurrence_changed(*, occurrence_id: int, details: dict) -> int:
    count = 0
    with transaction.atomic():
        _lock(occurrence_id)
        bookings = Booking.objects.filter(occurrence_id=occurrence_id).select_for_update()
        for booking in bookings.filter(status=BookingStatus.CONFIRMED):
            booking.sequence = F("sequence") + 1
            booking.save(update_fields=["sequence", "updated_at"])
            queue_email(booking=booking, kind=EmailKind.CHANGED, details=details)
            count += 1
        for booking in bookings.filter(
            status__in=[BookingStatus.WAITING, BookingStatus.OFFERED],
            email_confirmed_at__isnull=False,
        ):
            queue_email(booking=booking, kind=EmailKind.WAITING_CHANGED, details=details)
            count += 1
    logger.info("Date #%s changed: %s person(s) told.", occurrence_id, count)
    return count


# ---------------------------------------------------------------- retention and erasure
def _tally(bookings: Iterable[Booking]) -> dict[int, dict[str, int]]:
    tallies: dict[int, dict[str, int]] = {}
    for booking in bookings:
        tally = tallies.setdefault(
            booking.occurrence_id,
            {"bookings": 0, "places": 0, "attended": 0, "cancelled": 0, "lapsed": 0, "waiting": 0},
        )
        if booking.status == BookingStatus.CONFIRMED:
            tally["bookings"] += 1
            tally["places"] += booking.places
            if booking.checked_in_at is not None:
                tally["attended"] += booking.places
        elif booking.status == BookingStatus.CANCELLED:
            tally["cancelled"] += 1
        elif booking.status == BookingStatus.WAITING:
            tally["waiting"] += 1
        else:
            tally["lapsed"] += 1
    return tallies


def booking_erase(*, bookings: Iterable[Booking]) -> int:
    """Delete bookings and every copy of their data; keep only anonymous counts per date.

    Reaches the queued emails and the venue release log (deleted with the
    booking), the audit history's copies (deleted), and the admin's change
    history, whose entries stay (who did what, when) with the object's
    description and change message blanked.
    """
    ids = [booking.pk for booking in bookings]
    if not ids:
        return 0
    with transaction.atomic():
        rows = list(
            Booking.objects.filter(pk__in=ids).only(
                "pk", "occurrence_id", "status", "places", "checked_in_at"
            )
        )
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Booking),
            object_id__in=[str(pk) for pk in ids],
        ).update(object_repr=gettext("(erased)"), change_message="")
        for occurrence_id, tally in _tally(rows).items():
            record, _created = BookingCount.objects.get_or_create(occurrence_id=occurrence_id)
            record.add(**tally)
        Booking.objects.filter(pk__in=ids).delete()
        Booking.history.filter(id__in=ids).delete()
    logger.info("Erased %s booking(s).", len(rows))
    return len(rows)


def booking_erase_person(*, email: str) -> int:
    """A person's right to erasure: every booking made with this address, everywhere."""
    return booking_erase(bookings=Booking.objects.with_email(email))


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def booking_subject_access_export(*, email: str) -> list[dict]:
    """Everything we hold about the person with this address's bookings, as plain data.

    For a subject access request (UK GDPR), as ``volunteers.services.subject_access_export``
    is for an application: every booking made with the address (any letter case), its
    fields, how its status changed (from the audit history), each time its venue was sent
    (the release log), the emails still queued for it (their kinds: bodies are never
    stored) and the admin's change history. Names no member of staff.
    """
    bookings = list(
        Booking.objects.with_email(email)
        .select_related("occurrence__event")
        .prefetch_related("venue_releases", "emails")
        .order_by("created_at", "pk")
    )
    ids = [booking.pk for booking in bookings]
    history: dict[int, list] = {}
    for record in (
        Booking.history.filter(id__in=ids)
        .only("id", "history_date", "history_type", "status", "places")
        .order_by("history_date", "history_id")
    ):
        history.setdefault(record.id, []).append(record)
    admin_history: dict[str, list] = {}
    for entry in LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Booking),
        object_id__in=[str(pk) for pk in ids],
    ).order_by("action_time", "pk"):
        admin_history.setdefault(entry.object_id, []).append(entry)
    return [
        _booking_export(
            booking, history.get(booking.pk, []), admin_history.get(str(booking.pk), [])
        )
        for booking in bookings
    ]


def _status_history(records) -> list[dict]:
    """Each change of status or places, oldest first (the audit history's other saves,
    such as a reminder being sent, show in the booking's own fields)."""
    changes = []
    last = None
    for record in records:
        state = (record.status, record.places)
        if state != last:
            changes.append(
                {
                    "at": record.history_date.isoformat(),
                    "status": record.status,
                    "places": record.places,
                }
            )
            last = state
    return changes


def _booking_export(booking: Booking, history, admin_history) -> dict:
    occurrence = booking.occurrence
    # What was booked: the event's title and the date's times. Not the venue: a withheld
    # address is the programme's (and the writer's) to protect, not the visitor's personal
    # data, so it is left out of an export that may be sent on or stored anywhere; the
    # booking's own manage page shows it to an entitled attendee.
    return {
        "reference": booking.pk,
        "event": occurrence.event.title,
        "date_start": occurrence.start.isoformat(),
        "date_end": occurrence.end.isoformat(),
        "name": booking.name,
        "email": booking.email,
        "places": booking.places,
        "access_needs": booking.access_needs,
        "language": booking.language,
        "status": booking.status,
        "consent_given_at": _iso(booking.consent_given_at),
        "privacy_notice_version": booking.privacy_notice_version,
        "created_at": _iso(booking.created_at),
        "email_confirmed_at": _iso(booking.email_confirmed_at),
        "held_or_offered_until": _iso(booking.hold_expires_at),
        "waiting_since": _iso(booking.waiting_since),
        "offered_at": _iso(booking.offered_at),
        "confirmed_at": _iso(booking.confirmed_at),
        "cancelled_at": _iso(booking.cancelled_at),
        "cancelled_by": booking.cancelled_by,
        "message_from_staff": booking.staff_message,
        "lapsed_at": _iso(booking.lapsed_at),
        "checked_in_at": _iso(booking.checked_in_at),
        "reminder_sent_at": _iso(booking.reminder_sent_at),
        "venue_details_sent_at": _iso(booking.venue_sent_at),
        "status_history": _status_history(history),
        "venue_sent": [
            {"at": release.released_at.isoformat(), "how": release.channel}
            for release in sorted(booking.venue_releases.all(), key=lambda r: r.released_at)
        ],
        "queued_emails": [
            {"kind": queued.kind, "created_at": queued.created_at.isoformat()}
            for queued in booking.emails.all()
        ],
        "admin_history": [
            {
                "at": entry.action_time.isoformat(),
                "action": entry.get_action_flag_display(),
                "change": entry.get_change_message(),
            }
            for entry in admin_history
        ],
    }


def purge_booking_data(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what we no longer need (run daily; docs/operations.md, "Bookings").

    Access needs go ``ACCESS_NEEDS_DAYS`` after the date; bookings whose address
    was never confirmed ``UNCONFIRMED_HOURS`` after they were made; everything
    else (names, emails, the release log) ``RETENTION_DAYS`` after the date,
    leaving anonymous counts.
    """
    now = _now(now)
    config = _config()
    access_before = now - datetime.timedelta(days=config["ACCESS_NEEDS_DAYS"])
    retain_before = now - datetime.timedelta(days=config["RETENTION_DAYS"])
    unconfirmed_before = now - datetime.timedelta(hours=config["UNCONFIRMED_HOURS"])
    access = (
        Booking.objects.filter(occurrence__end__lt=access_before)
        .exclude(access_needs="")
        .update(access_needs="")
    )
    unconfirmed = booking_erase(
        bookings=Booking.objects.filter(
            email_confirmed_at__isnull=True,
            created_at__lt=unconfirmed_before,
        ).exclude(status=BookingStatus.HELD, hold_expires_at__gt=now)
    )
    expired = booking_erase(bookings=Booking.objects.filter(occurrence__end__lt=retain_before))
    return {
        "access needs deleted": access,
        "unconfirmed bookings erased": unconfirmed,
        "bookings past retention erased": expired,
    }
