"""Bookings: a visitor's places on one date of an event, the waiting list, and what we told them.

A booking holds personal data, so its ``__str__`` never shows any: the admin's
change history (``LogEntry.object_repr``) and every log line name a booking by
number only.

Capacity is guarded twice: services lock the occurrence row while they count
and write, and a PostgreSQL trigger (migration 0002) refuses any row that would
take the counted places for a date beyond its capacity.

Nothing at rest holds a withheld address: the outbox (``BookingEmail``) stores
which message to send, never its body; messages are built when they are sent.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from events.models import Occurrence


class BookingStatus(models.TextChoices):
    HELD = "held", _("Held (awaiting the email link)")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("Waiting list")
    OFFERED = "offered", _("Offered a place")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Lapsed (hold or offer expired)")


class CancelledBy(models.TextChoices):
    VISITOR = "visitor", _("The visitor")
    STAFF = "staff", _("Staff")
    SYSTEM = "system", _("The portal (the date was cancelled or booking stopped)")


# Statuses whose places count against capacity (HELD only until its hold expires).
COUNTING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.OFFERED)
# Statuses a visitor can still act on.
ACTIVE_STATUSES = (
    BookingStatus.HELD,
    BookingStatus.CONFIRMED,
    BookingStatus.WAITING,
    BookingStatus.OFFERED,
)


def supported_language(code: str | None) -> str:
    """``code`` if it is one of settings.LANGUAGES, else the site's default language.

    Exactly a listed code, so that ``reverse()`` under ``translation.override()`` gives the
    addresses the site answers (``/ar/…``; English unprefixed): a near miss such as ``en``
    or ``ar-eg`` is matched to its listed variant, anything else is the default.
    """
    codes = {language for language, _name in settings.LANGUAGES}
    if code in codes:
        return code
    if code:
        try:
            variant = translation.get_supported_language_variant(code)
        except LookupError:
            variant = None
        if variant in codes:
            return variant
    return settings.LANGUAGE_CODE


def counting_q(now: datetime.datetime | None = None) -> Q:
    """The bookings whose places are taken: confirmed, offered, or held and not expired."""
    now = now or timezone.now()
    return Q(status__in=COUNTING_STATUSES) | Q(status=BookingStatus.HELD, hold_expires_at__gt=now)


class BookingQuerySet(models.QuerySet):
    def for_occurrence(self, occurrence):
        return self.filter(occurrence=occurrence)

    def counting(self, *, now: datetime.datetime | None = None):
        """Bookings that take places now (the same rule as the database trigger)."""
        return self.filter(counting_q(now))

    def places_taken(self, *, now: datetime.datetime | None = None) -> int:
        return self.counting(now=now).aggregate(total=Coalesce(models.Sum("places"), 0))["total"]

    def confirmed(self):
        return self.filter(status=BookingStatus.CONFIRMED)

    def held(self):
        return self.filter(status=BookingStatus.HELD)

    def offered(self):
        return self.filter(status=BookingStatus.OFFERED)

    def waiting(self):
        return self.filter(status=BookingStatus.WAITING)

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def waiting_in_order(self):
        """The waiting list people have confirmed their address for: first come, first served."""
        return (
            self.waiting().filter(email_confirmed_at__isnull=False).order_by("waiting_since", "pk")
        )

    def expired_holds(self, *, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.held().filter(hold_expires_at__lte=now)

    def expired_offers(self, *, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.offered().filter(hold_expires_at__lte=now)

    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def upcoming(self, *, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.filter(occurrence__end__gte=now)


class Booking(models.Model):
    """One visitor's places on one date. Personal data: purged on schedule, erasable."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission_key = models.UUIDField(
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="One per rendered form, so a double-clicked submit books once.",
    )
    occurrence = models.ForeignKey(
        Occurrence,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("date"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    access_needs = models.TextField(
        _("access needs"),
        max_length=1000,
        blank=True,
        help_text=_("Seen only by the staff running the event; deleted soon after the date."),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BookingStatus,
        default=BookingStatus.HELD,
        db_index=True,
    )
    hold_expires_at = models.DateTimeField(
        _("held or offered until"),
        null=True,
        blank=True,
        help_text=_("A held booking or an offer lapses at this time."),
    )
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered a place"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=10, choices=CancelledBy, blank=True
    )
    staff_message = models.TextField(
        _("message from staff"),
        max_length=2000,
        blank=True,
        help_text=_("Sent to the visitor with the cancellation."),
    )
    lapsed_at = models.DateTimeField(_("lapsed"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("attended (checked in)"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=40)
    sequence = models.PositiveIntegerField(
        _("calendar revision"),
        default=0,
        help_text="Added to the event's SEQUENCE in this attendee's own calendar file.",
    )
    # The interface language the visitor booked in (a code from settings.LANGUAGES): every
    # email and calendar file about this booking is written in it, whenever it is sent.
    # Blank, or a language since removed from the site, means the site's default.
    language = models.CharField(
        _("language"),
        max_length=15,
        blank=True,
        default="",
        help_text="The language the visitor booked in: their emails are written in it.",
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    venue_sent_at = models.DateTimeField(_("venue details sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = BookingQuerySet.as_manager()
    # Who changed what; erased with the booking. Access needs are never copied into it.
    history = HistoricalRecords(excluded_fields=["access_needs"])

    class Meta:
        ordering = ["occurrence", "created_at", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        # Access needs are special-category data: only staff running events see them.
        permissions = [("view_access_needs", "Can see access needs")]
        indexes = [
            models.Index(fields=["occurrence", "status"], name="booking_occurrence_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(places__gte=1) & Q(places__lte=20), name="booking_places_1_to_20"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[BookingStatus.HELD, BookingStatus.OFFERED])
                | Q(hold_expires_at__isnull=False),
                name="booking_hold_has_expiry",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.WAITING) | Q(waiting_since__isnull=False),
                name="booking_waiting_has_since",
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CONFIRMED) | Q(confirmed_at__isnull=False),
                name="booking_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        # Never personal data: this string is copied into the admin's history.
        return str(_("Booking #%(number)s") % {"number": self.pk})

    @property
    def is_confirmed(self) -> bool:
        return self.status == BookingStatus.CONFIRMED

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def takes_places(self, *, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.status in COUNTING_STATUSES:
            return True
        return self.status == BookingStatus.HELD and bool(
            self.hold_expires_at and self.hold_expires_at > now
        )

    @property
    def email_language(self) -> str:
        """The language to write to this visitor in: theirs if the site still speaks it."""
        return supported_language(self.language)

    @property
    def calendar_sequence(self) -> int:
        """The personal calendar file's SEQUENCE: grows with the event's and the booking's."""
        return self.occurrence.event.sequence + self.sequence


class ReleaseChannel(models.TextChoices):
    CONFIRMATION = "confirmation", _("Confirmation email")
    VENUE_DETAILS = "venue-details", _("Venue details email")
    REMINDER = "reminder", _("Reminder email")
    CHANGE = "change", _("Change email")
    CALENDAR = "calendar", _("Personal calendar file fetched")
    MANAGE_PAGE = "manage-page", _("Manage page viewed")


class VenueRelease(models.Model):
    """One time a withheld address reached an attendee. Kept only as long as the booking."""

    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        related_name="venue_releases",
        verbose_name=_("booking"),
    )
    released_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    channel = models.CharField(_("how"), max_length=16, choices=ReleaseChannel)

    class Meta:
        ordering = ["-released_at", "-pk"]
        verbose_name = _("venue release")
        verbose_name_plural = _("venue release log")

    def __str__(self) -> str:
        return str(
            _("Booking #%(number)s: %(channel)s")
            % {"number": self.booking_id, "channel": self.get_channel_display()}
        )


class EmailKind(models.TextChoices):
    CONFIRM = "confirm", _("Confirm your email")
    CONFIRMED = "confirmed", _("Booking confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFER = "offer", _("A place is offered")
    CHANGED = "changed", _("The date changed")
    WAITING_CHANGED = "waiting_changed", _("The date changed (waiting list)")
    CANCELLED = "cancelled", _("Booking cancelled")
    REMINDER = "reminder", _("Reminder")
    VENUE = "venue", _("Venue details")
    LAPSED = "lapsed", _("Hold or offer lapsed")
    ALREADY = "already", _("Already booked")


class BookingEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class BookingEmail(models.Model):
    """A booking email waiting to go: which one, never its body.

    The message is built from the booking when it is sent, so a withheld
    address is never stored here. Rows are deleted once sent and with their
    booking.
    """

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="emails", verbose_name=_("booking")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EmailKind)
    # What the message needs beyond the booking (the old time of a moved date, why a date
    # was cancelled): never a name, an email address or an address.
    details = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(
        max_length=200, blank=True, help_text="The exception's class only: never its message."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("queued booking email")
        verbose_name_plural = _("queued booking emails")

    def __str__(self) -> str:
        return f"{self.kind} email #{self.pk} (booking #{self.booking_id})"


class BookingCount(models.Model):
    """What is left of a date's bookings once names and emails are purged: anonymous counts."""

    occurrence = models.OneToOneField(
        Occurrence,
        on_delete=models.CASCADE,
        related_name="booking_count",
        verbose_name=_("date"),
    )
    bookings = models.PositiveIntegerField(_("confirmed bookings"), default=0)
    places = models.PositiveIntegerField(_("places booked"), default=0)
    attended = models.PositiveIntegerField(_("places attended"), default=0)
    cancelled = models.PositiveIntegerField(_("bookings cancelled"), default=0)
    lapsed = models.PositiveIntegerField(_("holds and offers lapsed"), default=0)
    waiting = models.PositiveIntegerField(_("still waiting at the end"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-occurrence__start"]
        verbose_name = _("booking count")
        verbose_name_plural = _("booking counts")

    def __str__(self) -> str:
        return str(_("Counts for date #%(number)s") % {"number": self.occurrence_id})

    def add(self, **counts: int) -> None:
        """Add to the counts in one UPDATE (safe when two purges overlap)."""
        BookingCount.objects.filter(pk=self.pk).update(
            **{field: F(field) + value for field, value in counts.items() if value}
        )
