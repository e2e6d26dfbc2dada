"""Booking emails, built when they are sent: the outbox stores which message, never its body.

So a withheld address is never at rest in the outbox: it is read from the venue
at the moment the message goes, only for an attendee entitled to it, and each
message that carries it is written in the venue release log once it has gone.

Each message is written in the language the visitor booked in (``Booking.language``),
whoever sends it: a request in another language, staff in the (English) admin, or
``run_bookings`` from cron. Its links lead to that language's addresses (``/ar/…``,
``/fa/…``, English unprefixed), because ``reverse()`` is called inside the same
``translation.override()``.
"""

import datetime
import io
import logging
from collections.abc import Iterable
from email.message import MIMEPart

import qrcode
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override
from qrcode.image.pil import PilImage

from bookings import services, tokens
from bookings.ics import personal_calendar
from bookings.models import (
    BookingEmail,
    BookingStatus,
    EmailKind,
    ReleaseChannel,
    VenueRelease,
    supported_language,
)

logger = logging.getLogger(__name__)

# Messages that may carry a withheld address, and what the release log calls each.
RELEASING = {
    EmailKind.CONFIRMED: ReleaseChannel.CONFIRMATION,
    EmailKind.VENUE: ReleaseChannel.VENUE_DETAILS,
    EmailKind.REMINDER: ReleaseChannel.REMINDER,
    EmailKind.CHANGED: ReleaseChannel.CHANGE,
}
# Messages that only make sense while the booking is still in this state.
NEEDS_STATUS = {
    EmailKind.CONFIRMED: BookingStatus.CONFIRMED,
    EmailKind.VENUE: BookingStatus.CONFIRMED,
    EmailKind.REMINDER: BookingStatus.CONFIRMED,
    EmailKind.CHANGED: BookingStatus.CONFIRMED,
    EmailKind.OFFER: BookingStatus.OFFERED,
}
# Messages with the attendee's calendar file attached.
WITH_CALENDAR = {EmailKind.CONFIRMED, EmailKind.CHANGED, EmailKind.VENUE}
QR_CID = "checkin-code"


def site_url() -> str:
    return settings.PORTAL["SITE_URL"]


def links(booking) -> dict[str, str]:
    """The absolute links a message carries, in the active language's addresses."""
    base = site_url()
    manage = tokens.make_link_token(booking.public_id, tokens.MANAGE)
    return {
        "confirm_url": base
        + reverse(
            "bookings:confirm",
            kwargs={"token": tokens.make_link_token(booking.public_id, tokens.CONFIRM)},
        ),
        "manage_url": base + reverse("bookings:manage", kwargs={"token": manage}),
        "ics_url": base
        + reverse(
            "bookings:ics",
            kwargs={"token": tokens.make_link_token(booking.public_id, tokens.CALENDAR)},
        ),
        "book_url": base + reverse("bookings:book", kwargs={"occurrence": booking.occurrence_id}),
    }


def _moved_from(details: dict) -> datetime.datetime | None:
    value = details.get("moved_from")
    if not value:
        return None
    try:
        return timezone.localtime(datetime.datetime.fromisoformat(value))
    except ValueError:
        return None


def checkin_qr_png(booking) -> bytes:
    """The QR code of the booking's check-in token, as a PNG."""
    image = qrcode.make(tokens.checkin_token(booking), image_factory=PilImage, box_size=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def message_language(email: BookingEmail) -> str:
    """The language a message is written in: the visitor's, as stored with their booking.

    An "already booked" email answers a form just sent, so it speaks the language that
    form was in (kept in its details), which may not be the earlier booking's.
    """
    if email.kind == EmailKind.ALREADY and email.details.get("language"):
        return supported_language(email.details["language"])
    return email.booking.email_language


def build_message(email: BookingEmail, *, now: datetime.datetime) -> tuple:
    """(the message, the release channel if it carries a withheld address, else None)."""
    with override(message_language(email)):
        return _build_message(email, now=now)


def _build_message(email: BookingEmail, *, now: datetime.datetime) -> tuple:
    booking = email.booking
    occurrence = booking.occurrence
    event = occurrence.event
    venue = services.venue_for(booking=booking, now=now)
    releases = email.kind in RELEASING and services.is_withheld_release(booking=booking, now=now)
    if email.kind not in RELEASING:
        venue = event.public_venue  # the messages without the address never carry it
    context = {
        "portal": settings.PORTAL,
        "booking": booking,
        "occurrence": occurrence,
        "event": event,
        "venue": venue,
        "withheld": event.is_announced_on_booking and venue is None,
        "release_at": services.release_at(occurrence),
        "details": email.details,
        "moved_from": _moved_from(email.details),
        "cancelled_by": email.details.get("by", booking.cancelled_by),
        "with_qr": email.kind == EmailKind.CONFIRMED,
        "qr_cid": QR_CID,
        "hold_minutes": settings.BOOKINGS["HOLD_MINUTES"],
        **links(booking),
    }
    subject = render_to_string(f"bookings/email/{email.kind}_subject.txt", context)
    text = render_to_string(f"bookings/email/{email.kind}.txt", context)
    html = render_to_string(f"bookings/email/{email.kind}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.email],
    )
    message.attach_alternative(html, "text/html")
    if email.kind in WITH_CALENDAR:
        calendar = MIMEPart()
        calendar.set_content(
            personal_calendar(booking=booking, venue=venue, manage_url=context["manage_url"]),
            maintype="text",
            subtype="calendar",
            params={"method": "PUBLISH", "charset": "utf-8"},
            disposition="attachment",
            filename="booking.ics",
        )
        message.attach(calendar)
    if context["with_qr"]:
        qr = MIMEPart()
        qr.set_content(
            checkin_qr_png(booking),
            maintype="image",
            subtype="png",
            disposition="inline",
            filename="check-in-code.png",
            cid=f"<{QR_CID}>",
        )
        message.attach(qr)
    return message, RELEASING[email.kind] if releases else None


def send_booking_emails(
    *, ids: Iterable[int] | None = None, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Try every unsent booking email (or just ``ids``); return (sent, failed).

    Each is locked while it is tried, so a cron run and a request never send the
    same one twice. A sent email's row is deleted; a failure leaves it queued for
    the next run. A message that no longer fits its booking (a reminder for a
    booking since cancelled, an offer since lapsed) is dropped unsent.
    """
    pending = BookingEmail.objects.unsent()
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    sent = failed = 0
    for email_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            email = (
                BookingEmail.objects.select_for_update(skip_locked=True, of=("self",))
                .unsent()
                .select_related(
                    "booking", "booking__occurrence__event", "booking__occurrence__event__venue"
                )
                .filter(pk=email_id)
                .first()
            )
            if email is None:  # sent or locked by someone else meanwhile
                continue
            wanted = NEEDS_STATUS.get(email.kind)
            if wanted is not None and email.booking.status != wanted:
                logger.info("Email #%s (%s) no longer applies; dropped.", email.pk, email.kind)
                email.delete()
                continue
            at = now or timezone.now()
            email.attempts += 1
            email.last_attempt_at = at
            try:
                message, channel = build_message(email, now=at)
                message.send()
            except Exception as error:  # any failure at all: keep it queued, say which kind
                email.last_error = type(error).__name__
                email.save(update_fields=["attempts", "last_attempt_at", "last_error"])
                failed += 1
                logger.warning(
                    "Booking email #%s (%s) not sent after %s attempt(s): %s. It stays queued.",
                    email.pk,
                    email.kind,
                    email.attempts,
                    type(error).__name__,
                )
            else:
                if channel is not None:
                    VenueRelease.objects.create(
                        booking=email.booking, released_at=at, channel=channel
                    )
                logger.info("Booking email #%s (%s) sent.", email.pk, email.kind)
                email.delete()
                sent += 1
    return sent, failed
