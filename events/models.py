"""The Calendar of Events: venues, events and their materialised occurrences.

An event is what staff edit: one row, perhaps with an RFC 5545 recurrence rule.
Its occurrences (one row per date it happens) are derived from it whenever it is
saved, up to a bounded horizon, so every public list, filter, month grid and
"next event" is a plain indexed query (see ``events.recurrence``).
"""

import datetime
import functools
import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.caching.invalidation import ContentQuerySet, ContentQuerySetMixin
from core.compiled import CompiledQueries
from core.fields import (
    ChoiceArrayField,
    FormattedTextField,
    translated_search_vector_field,
)
from core.publishing import (
    Audience,
    Illustrated,
    Publishable,
    PublishableQuerySet,
    StaffPreviewQuerySetMixin,
    published_q,
)
from core.rows import Row, StoredFile, TranslatedValue, rows_of
from core.translated import every_language
from core.urls import reverse  # remembered: these build every card's link
from programme.models import Project, Strand, StrandName, StrandQuerySet

# Event slugs that would be shadowed by the calendar's own addresses.
RESERVED_SLUGS = {"calendar", "past", "feed", "rss", "atom", "subscribe"}


class Venue(models.Model):
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As visitors know it: Dragon Hall, the Forum…")
    )
    address = models.TextField(
        _("address"),
        blank=True,
        help_text=_(
            "Street and town, one line each, without the postcode. Published on the event "
            "page, in calendars and for search engines, unless the event's venue is "
            "announced on booking."
        ),
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=12,
        blank=True,
        help_text=_("For example NR3 1HN: used for the map link on the event page."),
    )
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("Step-free access, accessible toilets, hearing loop, parking, quiet space…"),
    )
    transport_notes = models.TextField(
        _("getting there"),
        blank=True,
        help_text=_("How to get there by bus, train or bike; where to park a bike…"),
    )
    website = models.URLField(
        _("website"),
        blank=True,
        help_text=_("The venue's own site, starting https:// (optional)."),
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self) -> str:
        return self.name

    ADDRESS_FIELDS = ("name", "address", "postcode")

    def save(self, *args, **kwargs):
        """A venue whose name or address changes tells the apps above (bookings), for each
        event held there with dates still to come."""
        before = None
        if not self._state.adding and self.pk is not None:
            before = Venue.objects.filter(pk=self.pk).values(*self.ADDRESS_FIELDS).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if before is None or all(
                before[name] == getattr(self, name) for name in self.ADDRESS_FIELDS
            ):
                return
            from events.signals import announce_occurrence_changes

            events = Event.objects.filter(
                venue=self, location__in=[LocationMode.VENUE, LocationMode.ON_BOOKING]
            ).upcoming()
            for event in events:
                announce_occurrence_changes(event=event, venue_changed=True)

    @property
    def one_line_address(self) -> str:
        parts = [self.name, *self.address.splitlines(), self.postcode]
        return ", ".join(part.strip() for part in parts if part.strip())


class EventType(models.TextChoices):
    READING = "reading", _("Reading")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    COMPETITION_DEADLINE = "competition-deadline", _("Competition deadline")
    TALK = "talk", _("Talk")
    EXHIBITION = "exhibition", _("Exhibition")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class LocationMode(models.TextChoices):
    VENUE = "venue", _("At a venue")
    ONLINE = "online", _("Online")
    ON_BOOKING = "on-booking", _("Venue announced on booking (the address is never published)")


class BookingMode(models.TextChoices):
    NONE = "none", _("No booking needed")
    PORTAL = "portal", _("Free places booked on this site")
    LINK = "link", _("Booked elsewhere (a booking link)")


class EventQuerySet(PublishableQuerySet):
    """`published()` (from PublishableQuerySet) includes cancelled events: a cancelled
    event stays visible as cancelled (Event.PUBLIC_STATUSES)."""

    def upcoming(self, *, now: datetime.datetime | None = None):
        """Events with at least one occurrence that has not finished yet."""
        now = now or timezone.now()
        return self.filter(Exists(Occurrence.objects.filter(event=OuterRef("pk"), end__gte=now)))

    def past(self, *, now: datetime.datetime | None = None):
        now = now or timezone.now()
        return self.exclude(Exists(Occurrence.objects.filter(event=OuterRef("pk"), end__gte=now)))

    def in_window(self, start: datetime.datetime, end: datetime.datetime):
        """Events with an occurrence overlapping [start, end)."""
        return self.filter(
            Exists(Occurrence.objects.filter(event=OuterRef("pk"), start__lt=end, end__gt=start))
        )


class LocalTimes:
    """`local_start` and `local_end`: an event's or a date's times in the programme's
    own time zone (Europe/London), as pages and feeds show them."""

    # The programme's zone itself, not timezone.localtime()'s "current" one: nothing
    # activates another, and reading the current one costs a context-local lookup that
    # fails over to the default each time (2 µs; a month of dates asks 700 times).

    @property
    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(timezone.get_default_timezone())

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(timezone.get_default_timezone())


class SchoolHoliday(models.Model):
    """A school holiday (half term, Christmas…): series set to "term time only" skip it."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("For example: Autumn half term.")
    )
    first_day = models.DateField(_("from"), help_text=_("The first day off school (DD/MM/YYYY)."))
    last_day = models.DateField(_("to"), help_text=_("The last day off school (DD/MM/YYYY)."))

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("school holiday")
        verbose_name_plural = _("school holidays")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="school_holiday_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y})"

    @classmethod
    def days_between(cls, first: datetime.date, last: datetime.date) -> set[datetime.date]:
        """Every holiday day from `first` to `last` (inclusive), in one query."""
        days = set()
        for holiday in cls.objects.filter(first_day__lte=last, last_day__gte=first):
            day = max(holiday.first_day, first)
            while day <= min(holiday.last_day, last):
                days.add(day)
                day += datetime.timedelta(days=1)
        return days


class Event(LocalTimes, Illustrated, Publishable):
    """Something on the calendar: a reading, a workshop (perhaps weekly), a deadline…"""

    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(
        _("summary"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences for lists, feeds and search engines."),
    )
    strand = models.ForeignKey(
        Strand,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("strand"),
        help_text=_(
            "The part of the programme it belongs to; its calendar feed carries the event."
        ),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("project"),
        help_text=_("Optional: a project within the strand, such as Strangers and Canaries."),
    )
    event_type = models.CharField(
        _("type"),
        max_length=24,
        choices=EventType,
        default=EventType.OTHER,
        help_text=_("Visitors can filter the calendar by type."),
    )
    audiences = ChoiceArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audiences"),
        default=list,
        blank=True,
        help_text=_(
            "Who it is for: visitors filter by this (“young people” for Strangers and "
            "Canaries). Leave all empty for everyone."
        ),
    )

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(
        _("all day"),
        default=False,
        help_text=_("Only the dates count: it runs from the start date to the end date."),
    )
    rrule = models.CharField(
        _("repeats (RFC 5545 rule)"),
        max_length=300,
        blank=True,
        help_text=_(
            "Leave empty for a one-off. Weekly for ten weeks: FREQ=WEEKLY;COUNT=10. "
            "Every Tuesday until July: FREQ=WEEKLY;BYDAY=TU;UNTIL=20260731. "
            "First Thursday of each month: FREQ=MONTHLY;BYDAY=1TH."
        ),
    )
    exdates = ArrayField(
        models.DateField(),
        verbose_name=_("dates skipped"),
        default=list,
        blank=True,
        help_text=_("Dates the repeating event does not happen (half term…), as YYYY-MM-DD."),
    )
    extra_dates = ArrayField(
        models.DateTimeField(),
        verbose_name=_("extra dates"),
        default=list,
        blank=True,
        help_text=_(
            "One-off extra sessions of a repeating event, each as long as the first session "
            "(in calendars: RDATE)."
        ),
    )
    cancelled_dates = ArrayField(
        models.DateField(),
        verbose_name=_("dates cancelled"),
        default=list,
        blank=True,
        help_text=_(
            "Dates that were announced and are now off: they stay listed as cancelled and "
            "subscribers' calendars are told."
        ),
    )
    cancelled_reasons = models.JSONField(
        _("why dates were cancelled"),
        default=dict,
        blank=True,
        help_text=_("The reason for each cancelled date, by date (YYYY-MM-DD)."),
    )
    term_time_only = models.BooleanField(
        _("term time only"),
        default=False,
        help_text=_(
            "Skip the dates that fall in the school holidays listed under “School holidays”."
        ),
    )
    repeat_sessions = models.PositiveSmallIntegerField(
        _("number of sessions"),
        null=True,
        blank=True,
        help_text=_(
            "When the series ends after a number of sessions: how many. Cancelled dates "
            "count (they were announced); skipped dates and school holidays do not."
        ),
    )

    location = models.CharField(
        _("where"),
        max_length=12,
        choices=LocationMode,
        default=LocationMode.VENUE,
        help_text=_(
            "“Venue announced on booking” keeps the address off every page, calendar and "
            "feed: only people who booked are told."
        ),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("venue"),
        help_text=_("Kept private when the venue is announced on booking."),
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only for online events.")
    )

    is_free = models.BooleanField(
        _("free"), default=True, help_text=_("Untick for a paid event, and give the price.")
    )
    price = models.DecimalField(
        _("price (£)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The full price in pounds, for example 5.00. Concessions go in the note."),
    )
    price_note = models.CharField(
        _("price note"),
        max_length=200,
        blank=True,
        help_text=_("For example: £3 concessions; pay what you can."),
    )
    booking = models.CharField(
        _("booking"),
        max_length=8,
        choices=BookingMode,
        default=BookingMode.NONE,
        help_text=_(
            "Free events can take bookings here: places, a waiting list, and a private "
            "venue told only to the people who booked. Paid events can link elsewhere."
        ),
    )
    booking_url = models.URLField(
        _("booking link"), blank=True, help_text=_("Only for events booked elsewhere.")
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("How many people can come to each date. A date can have its own number."),
    )
    places_per_booking = models.PositiveSmallIntegerField(
        _("most places in one booking"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    booking_opens_at = models.DateTimeField(
        _("booking opens"),
        null=True,
        blank=True,
        help_text=_("Leave empty to open booking as soon as the event is published."),
    )
    booking_closes_hours = models.PositiveSmallIntegerField(
        _("booking closes (hours before the start)"),
        default=0,
        help_text=_("0 closes booking when the event starts."),
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before the start)"),
        default=24,
        help_text=_("0 sends no reminder."),
    )
    venue_release_hours = models.PositiveSmallIntegerField(
        _("send the private address (hours before the start)"),
        null=True,
        blank=True,
        help_text=_(
            "For a venue announced on booking. Leave empty to put the address in the "
            "booking confirmation; give a number of hours to send it later, in its own email."
        ),
    )
    capacity_note = models.CharField(
        _("capacity note"), max_length=200, blank=True, help_text=_("For example: 20 places.")
    )
    body = FormattedTextField(_("body"), blank=True)

    # Publishable's status, with one more: a cancelled event stays on the calendar.
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EventStatus,
        default=EventStatus.DRAFT,
        db_index=True,
    )
    cancellation_reason = models.TextField(
        _("reason for cancelling"),
        blank=True,
        help_text=_(
            "When the whole event is cancelled: shown on the page and sent to calendar "
            "subscribers. To call off one date of a series, cancel that date under “When”."
        ),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Bumped on every change so calendar subscribers pick it up."),
    )
    search_vector = translated_search_vector_field(title="A", summary="B", body="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = EventQuerySet.as_manager()

    PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CANCELLED)

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            GinIndex(fields=["search_vector"], name="event_search"),
            # Whether an event is public, beside its id: counting the public dates of a
            # list (18,000 past ones on the bench) joins it without reading the events'
            # wide rows (every language's body).
            models.Index(fields=["id"], include=["status", "publish_from"], name="event_public"),
            # The events the public may not see yet (or any more): drafts and those with a
            # publish-from time. Few, so the public dates of a list are counted as all the
            # dates less theirs (events.models._dates_count), 4 to 1 ms for those to come.
            models.Index(
                fields=["id"],
                condition=~Q(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
                | Q(publish_from__isnull=False),
                name="event_may_be_hidden",
            ),
            # The list's filters beside a strand (the filter most asked for): counting the
            # dates of "this strand, for young people, free" reads this, not 12,000 wide
            # rows (9 ms to 1.5 ms on the bench); a filter without a strand reads it whole,
            # still narrow.
            models.Index(
                fields=["strand"],
                include=["id", "status", "publish_from", "is_free", "event_type", "audiences"],
                name="event_filters",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(is_free=True) | Q(price__isnull=False),
                name="event_has_price_unless_free",
                violation_error_message=_("Give a price, or tick “free”."),
            ),
            models.CheckConstraint(
                condition=~Q(status=EventStatus.CANCELLED) | ~Q(cancellation_reason=""),
                name="event_cancelled_has_reason",
                violation_error_message=_(
                    "Say why the event is cancelled: visitors and calendar subscribers "
                    "see the reason."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(location=LocationMode.VENUE) | Q(venue__isnull=False),
                name="event_at_venue_has_venue",
                violation_error_message=_(
                    "Choose the venue, or pick “online” or “venue announced on booking”."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(location=LocationMode.ON_BOOKING) | ~Q(booking=BookingMode.NONE),
                name="event_announced_on_booking_takes_bookings",
                violation_error_message=_(
                    "An event whose venue is announced on booking needs booking: on this "
                    "site (the address goes only to the people who booked) or a booking link."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(booking=BookingMode.LINK) | ~Q(booking_url=""),
                name="event_booked_elsewhere_has_link",
                violation_error_message=_("Give the booking link, or choose another booking."),
            ),
            models.CheckConstraint(
                condition=~Q(booking=BookingMode.PORTAL) | Q(capacity__gt=0, is_free=True),
                name="event_booked_here_is_free_with_places",
                violation_error_message=_(
                    "Bookings on this site are for free events with a number of places: "
                    "give the number of places (a paid event can use a booking link)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.all_day:
            self.normalise_all_day()
        if self.pk is not None and not self._state.adding:
            self.sequence += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "start", "end"}
        # Where and whether it was on before, to tell the people who booked what changed.
        before = None
        if not self._state.adding and self.pk is not None:
            before = (
                Event.objects.filter(pk=self.pk)
                .values("location", "venue_id", "status", "booking")
                .first()
            )
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Occurrences are this row's derived index, not a separate side effect; their
            # rows are kept (bookings hang on them) and what changed is announced.
            from events.recurrence import sync_occurrences
            from events.signals import announce_occurrence_changes

            changes = sync_occurrences(self)
            cancelled = list(changes.cancelled)
            venue_changed = booking_stopped = False
            if before is not None:
                booking_stopped = (
                    before["booking"] == BookingMode.PORTAL and self.booking != BookingMode.PORTAL
                )
                venue_changed = (before["location"], before["venue_id"]) != (
                    self.location,
                    self.venue_id,
                )
                if self.is_cancelled and before["status"] != EventStatus.CANCELLED:
                    now = timezone.now()
                    cancelled += [
                        row.pk for row in changes.rows if row.end >= now and not row.is_cancelled
                    ]
            announce_occurrence_changes(
                event=self,
                moved=changes.moved,
                cancelled=cancelled,
                venue_changed=venue_changed,
                booking_stopped=booking_stopped,
            )

    def get_absolute_url(self) -> str:
        return self.address(self.slug)

    @staticmethod
    def address(slug: str) -> str:
        """The address of the event with `slug` (search results have the slug only)."""
        return reverse("events:detail", kwargs={"slug": slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = _("This slug is reserved for the calendar's pages.")
        if self.rrule and self.start:
            from events.recurrence import RecurrenceError, parse_rule

            try:
                parse_rule(self.rrule, self.local_start.replace(tzinfo=None))
            except RecurrenceError as error:
                errors["rrule"] = str(error)
        if errors:
            raise ValidationError(errors)
        if self.all_day and self.start and self.end:
            self.normalise_all_day()

    def normalise_all_day(self) -> None:
        """All-day events run from local midnight of the first day to the last second of the
        last day; running this twice changes nothing."""
        tz = timezone.get_default_timezone()
        first = timezone.localtime(self.start, tz).date()
        last = max(timezone.localtime(self.end, tz).date(), first)
        self.start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
        self.end = datetime.datetime.combine(last, datetime.time(23, 59, 59), tzinfo=tz)

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    def publish(self) -> None:
        """Published again after a cancellation, the reason goes with it."""
        self.cancellation_reason = ""
        super().publish()

    @property
    def is_booked_here(self) -> bool:
        return self.booking == BookingMode.PORTAL

    @property
    def is_booked_elsewhere(self) -> bool:
        return self.booking == BookingMode.LINK and bool(self.booking_url)

    @property
    def is_online(self) -> bool:
        return self.location == LocationMode.ONLINE

    @property
    def is_announced_on_booking(self) -> bool:
        return self.location == LocationMode.ON_BOOKING

    @property
    def address_is_public(self) -> bool:
        """The one switch every page, feed and JSON-LD consults before showing a venue."""
        return self.location == LocationMode.VENUE and self.venue_id is not None

    @property
    def public_venue(self) -> Venue | None:
        return self.venue if self.address_is_public else None

    @property
    def public_location_text(self) -> str:
        """Where, as one line for calendars and feeds; never the address of a private venue."""
        if self.location == LocationMode.ON_BOOKING:
            return str(_("Venue announced on booking"))
        if self.location == LocationMode.ONLINE:
            return str(_("Online"))
        return self.venue.one_line_address if self.venue_id else ""

    @property
    def type_label(self) -> str:
        """``get_event_type_display()`` without Django's hashing of every choice on each
        call: every card shows it."""
        try:
            return str(EventType(self.event_type).label)
        except ValueError:
            return self.event_type

    def get_audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audiences]


def _event_lookup(column: str) -> str:
    """A row's event column as ``values_list()`` reads it: through the relation, but the
    reasons for cancelled dates only where the date is off (``reasons_if_cancelled``)."""
    return "reasons_if_cancelled" if column == "cancelled_reasons" else f"event__{column}"


class OccurrenceQuerySet(StaffPreviewQuerySetMixin, ContentQuerySetMixin, models.QuerySet):
    def published(self, *, now: datetime.datetime | None = None):
        """Dates of published (or cancelled) events: the events' own rule, through the relation."""
        return self.filter(published_q(Event, now=now or timezone.now(), through="event__"))

    def with_event(self):
        """Everything a card or feed item shows, in the same query."""
        return self.select_related("event", "event__strand", "event__project", "event__venue")

    # What no list of dates shows: every language's long texts. A page of dates rendered
    # afresh spent more time making these into Python than on the rest of the page.
    # What a day of the month grid shows of a date (its time, its event's title and
    # address, whether and why it is off), as CalendarDate and CalendarEvent name it.
    CALENDAR_COLUMNS = ("pk", "start", "end", "is_cancelled")
    CALENDAR_EVENT_COLUMNS = (
        "slug",
        *every_language("title")[1:],
        "all_day",
        "status",
        "cancellation_reason",
        "cancelled_reasons",
    )

    def calendar_dates(self) -> list["CalendarDate"]:
        """The dates as the month grid shows them (``as_calendar_dates``), read."""
        return list(self.as_calendar_dates())

    def as_calendar_dates(self):
        """The dates as the month grid shows them: read as plain values (``core.rows``),
        not made into an Occurrence and an Event each (a busy month lists two hundred,
        and making the models cost more than the rest of the page)."""
        event_columns = self.CALENDAR_EVENT_COLUMNS
        split = len(self.CALENDAR_COLUMNS)
        columns = (*self.CALENDAR_COLUMNS, *map(_event_lookup, event_columns))
        return rows_of(
            self._with_reasons_if_cancelled(),
            columns,
            lambda row: CalendarDate(
                dict(zip(self.CALENDAR_COLUMNS, row[:split], strict=True)),
                CalendarEvent(dict(zip(event_columns, row[split:], strict=True))),
            ),
        )

    # What an event card shows ({% event_card %}): the date, its event's title, address,
    # type, price, venue, picture and whether and why it is off, its strand's name and
    # drawing; as CalendarDate, CardEvent and StrandName name them.
    CARD_EVENT_COLUMNS = (
        *CALENDAR_EVENT_COLUMNS,
        "event_type",
        "location",
        "venue_id",
        "is_free",
        "price",
        "image",
        "image_width",
        "image_height",
        "image_alt",
    )
    CARD_STRAND_COLUMNS = StrandQuerySet.NAME_COLUMNS

    def for_cards(self):
        """The dates as cards show them, read as plain values (``core.rows``): making an
        Occurrence, an Event, a Strand and a Venue for each of a page's twenty cards cost
        a third of the page. Still a queryset: filter, count, slice and paginate it."""
        event_columns, strand_columns = self.CARD_EVENT_COLUMNS, self.CARD_STRAND_COLUMNS
        columns = (
            *self.CALENDAR_COLUMNS,
            *map(_event_lookup, event_columns),
            *(f"event__strand__{column}" for column in strand_columns),
            "event__venue__name",
        )
        first_event = len(self.CALENDAR_COLUMNS)
        first_strand = first_event + len(event_columns)
        last_strand = first_strand + len(strand_columns)

        def card(row: tuple) -> CalendarDate:
            event = dict(zip(event_columns, row[first_event:first_strand], strict=True))
            event["strand"] = StrandName(
                dict(zip(strand_columns, row[first_strand:last_strand], strict=True))
            )
            event["venue_name"] = row[last_strand]
            return CalendarDate(
                dict(zip(self.CALENDAR_COLUMNS, row[:first_event], strict=True)),
                CardEvent(event),
            )

        return rows_of(self._with_reasons_if_cancelled(), columns, card)

    def _with_reasons_if_cancelled(self):
        """The event's reasons per cancelled date, read only for a date that is off: the
        one that says why is all a row needs, and decoding the JSON of every row's event
        was a tenth of the month grid."""
        return self.annotate(
            reasons_if_cancelled=Case(
                When(is_cancelled=True, then=F("event__cancelled_reasons")), default=None
            )
        )

    def upcoming(self, *, now: datetime.datetime | None = None):
        """Not finished yet, soonest first (a workshop in progress still counts)."""
        now = now or timezone.now()
        return self.filter(end__gte=now).order_by("start", "event__title", "pk")

    def past(self, *, now: datetime.datetime | None = None):
        """Finished, newest first."""
        now = now or timezone.now()
        return self.filter(end__lt=now).order_by("-start", "event__title", "-pk")

    def between(self, first: datetime.date, last: datetime.date):
        """Occurrences overlapping the local days first…last (inclusive), soonest first."""
        start, end = local_span(first, last)
        return self.overlapping(start, end).order_by("start", "event__title", "pk")

    def overlapping(self, start: datetime.datetime, end: datetime.datetime):
        """Occurrences overlapping the times [start, end)."""
        return self.filter(start__lt=end, end__gt=start)

    def in_month(self, year: int, month: int):
        first = datetime.date(year, month, 1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        return self.between(first, following - datetime.timedelta(days=1))

    def on_day(self, day: datetime.date):
        return self.between(day, day)

    def for_strand(self, strand):
        return self.filter(event__strand_id=strand.pk)  # a Strand or a StrandName

    def for_project(self, project):
        return self.filter(event__project=project)

    def for_audience(self, audience: str):
        return self.filter(event__audiences__contains=[audience])

    def of_type(self, event_type: str):
        return self.filter(event__event_type=event_type)

    def free(self):
        return self.filter(event__is_free=True)


class Occurrence(LocalTimes, models.Model):
    """One date of an event, derived from it on save; never edited by hand."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="occurrences", verbose_name=_("event")
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    is_cancelled = models.BooleanField(
        _("this date cancelled"), default=False, help_text=_("Listed, marked as cancelled.")
    )
    capacity = models.PositiveIntegerField(
        _("places on this date"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the event's number of places."),
    )

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("occurrence")
        verbose_name_plural = _("occurrences")
        indexes = [
            # With the end beside the start, "not finished yet, soonest first" stops at its
            # first page of dates instead of reading every past one (20,000 on the bench).
            models.Index(fields=["start", "end"], name="occurrence_start_end"),
            models.Index(fields=["end"], name="occurrence_end"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="occurrence_unique_start"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="occurrence_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.local_start:%Y-%m-%d %H:%M})"

    def get_absolute_url(self) -> str:
        # isoformat(), not "%Y-%m-%d": a twelfth of the time, and a month grid asks 180 times.
        return f"{Event.address(self.event.slug)}?on={self.local_start.date().isoformat()}"

    @property
    def cancelled(self) -> bool:
        """This date is off, or the whole event is."""
        return self.is_cancelled or self.event.status == EventStatus.CANCELLED

    @property
    def cancellation_note(self) -> str:
        """Why this date is off, for "Cancelled: <reason>": the whole event's reason, or
        the one staff gave for this date ("" when it is on, or no reason was kept)."""
        if self.event.status == EventStatus.CANCELLED:
            return self.event.cancellation_reason
        if not self.is_cancelled:
            return ""
        return (self.event.cancelled_reasons or {}).get(self.local_start.date().isoformat(), "")

    @property
    def places(self) -> int | None:
        """How many people can book this date (None when the event takes no bookings here)."""
        if self.event.booking != BookingMode.PORTAL:
            return None
        return self.capacity if self.capacity is not None else self.event.capacity

    @property
    def is_multi_day(self) -> bool:
        return self.local_start.date() != self.local_end.date()

    @property
    def booking_closes_at(self) -> datetime.datetime:
        """When booking this date on the site ends (its start, or hours before)."""
        return self.start - datetime.timedelta(hours=self.event.booking_closes_hours)

    def booking_availability(self, *, now: datetime.datetime | None = None) -> str:
        """For a date booked on this site, whether it takes bookings now: "open",
        "not-open-yet", "closed", "started" or "cancelled" (the words and rules of
        ``bookings.services.Availability``); "" for a date not booked here.

        Only the calendar's rules: whether places are left is the booking page's business
        (it is never cached; the event page is)."""
        if self.event.booking != BookingMode.PORTAL:
            return ""
        now = now or timezone.now()
        if self.cancelled:
            return "cancelled"
        if self.start <= now:
            return "started"
        if now >= self.booking_closes_at:
            return "closed"
        if self.event.booking_opens_at is not None and now < self.event.booking_opens_at:
            return "not-open-yet"
        return "open"


def local_span(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, ...]:
    """The times [start, end) of the local days first…last (inclusive)."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _dates(
    *,
    now,
    upcoming=False,
    past=False,
    calendar=False,
    strand=None,
    project=None,
    audience=None,
    event_type=None,
    free=False,
    start=None,
    end=None,
):
    occurrences = Occurrence.objects.published(now=now)
    if upcoming:
        occurrences = occurrences.upcoming(now=now)
    elif past:
        occurrences = occurrences.past(now=now)
    else:
        occurrences = occurrences.order_by("start", "event__title", "pk")
    if start is not None:
        occurrences = occurrences.overlapping(start, end)
    if strand is not None:
        occurrences = occurrences.filter(event__strand_id=strand)
    if project is not None:
        occurrences = occurrences.filter(event__project_id=project)
    if audience is not None:
        occurrences = occurrences.for_audience(audience)
    if event_type is not None:
        occurrences = occurrences.of_type(event_type)
    if free:
        occurrences = occurrences.free()
    return occurrences.as_calendar_dates() if calendar else occurrences.for_cards()


def _dates_count(*, now, upcoming=False, past=False, **filters):
    """All the dates to come (or gone) less those of events the public may not see:
    counting the public ones joined every event to them (4 ms for 1,900 dates to come on
    the bench, 18 ms for 18,000 past), the few hidden events are found by their own
    index (``event_may_be_hidden``) and joined alone (1 ms, 5 ms)."""
    if not (upcoming or past) or any(
        value for name, value in filters.items() if name != "calendar"
    ):
        return None  # a filter reads the events anyway
    dates = Occurrence.objects.upcoming(now=now) if upcoming else Occurrence.objects.past(now=now)
    return dates, dates.exclude(published_q(Event, now=now, through="event__"))


# Built and compiled once per process for each combination of filters (core/compiled.py):
# building and compiling a page of cards and its count took more time than running them.
_DATES = CompiledQueries(_dates, count=_dates_count)


def _published_dates(
    *,
    now: datetime.datetime | None = None,
    strand: int | None = None,
    project: int | None = None,
    audience: str | None = None,
    event_type: str | None = None,
    free: bool = False,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    **shape,
):
    if (start is None) != (end is None):
        raise ValueError("give both start and end, or neither")
    return _DATES(
        now=now or timezone.now(),
        strand=strand,
        project=project,
        audience=audience or None,
        event_type=event_type or None,
        free=bool(free),
        start=start,
        end=end,
        **shape,
    )


def upcoming_cards(**filters):
    """The published dates not finished yet, soonest first, as cards show them
    (``OccurrenceQuerySet.for_cards``): lazy, to count, slice and paginate. Filters: a
    strand or project (their keys), an audience, a type, free ones (``free=True``), the
    dates overlapping the times [start, end), and `now`."""
    return _published_dates(upcoming=True, **filters)


def past_cards(**filters):
    """The published dates finished, the latest first, as cards show them; as
    ``upcoming_cards`` filters them."""
    return _published_dates(past=True, **filters)


def dates_between(first: datetime.date, last: datetime.date, *, calendar=False, **filters):
    """The published dates overlapping the local days first…last, soonest first, as cards
    show them, or as the month grid does (``calendar=True``: ``as_calendar_dates``); as
    ``upcoming_cards`` filters them."""
    start, end = local_span(first, last)
    return _published_dates(calendar=calendar, start=start, end=end, **filters)


def _event(*, slug, now=None, preview=False):
    # What public() is for events (StaffPreviewQuerySetMixin), at the run's time.
    events = Event.objects.all() if preview else Event.objects.published(now=now)
    return events.filter(slug=slug).select_related("strand", "project__strand", "venue")


_EVENT = CompiledQueries(_event)


def event_at(slug: str, *, preview: bool = False) -> "Event | None":
    """The event at /events/<slug>/ with its strand, project (and its strand) and venue,
    as the public may reach it, or as staff who may preview it (``preview=True``:
    ``can_preview``) see it; None when there is none."""
    found = _EVENT(slug=slug, now=None if preview else timezone.now(), preview=preview)
    return next(iter(found[:1]), None)


def _dates_of(*, event, now=None, upcoming=False, past=False, start=None, end=None, other=None):
    occurrences = Occurrence.objects.filter(event_id=event)
    if start is not None:
        occurrences = occurrences.overlapping(start, end).order_by("start", "pk")
    if upcoming:
        occurrences = occurrences.upcoming(now=now)
    elif past:
        occurrences = occurrences.past(now=now)
    if other is not None:
        occurrences = occurrences.exclude(pk=other)
    return occurrences


_DATES_OF = CompiledQueries(_dates_of)


def dates_of(
    event: int,
    *,
    upcoming: bool = False,
    past: bool = False,
    day: datetime.date | None = None,
    other_than: int | None = None,
):
    """An event's dates (its key): those not finished (``upcoming``, soonest first), or
    finished (``past``, the latest first), or on a local day; leaving one out
    (`other_than`, its key). Lazy: slice it."""
    start, end = local_span(day, day) if day is not None else (None, None)
    return _DATES_OF(
        event=event,
        now=timezone.now() if upcoming or past else None,
        upcoming=upcoming,
        past=past,
        start=start,
        end=end,
        other=other_than,
    )


class CalendarEvent(Row):
    """An event as a day of the month grid shows it (``calendar_dates()``): its address,
    title, whether it is all day, and whether and why it is off, from plain values."""

    translated_fields = ("title",)
    title = TranslatedValue()


class CardEvent(CalendarEvent):
    """An event as its card shows it (``for_cards()``), answering with the Event's own
    code for where it is (a venue announced on booking stays unnamed), its type and its
    picture."""

    image = StoredFile(Event)

    def __init__(self, values: dict):
        super().__init__(values)
        name = values["venue_name"]
        self.venue = Row({"name": name}) if self.venue_id is not None else None

    is_online = Event.is_online
    is_announced_on_booking = Event.is_announced_on_booking
    address_is_public = Event.address_is_public
    public_venue = Event.public_venue
    type_label = Event.type_label


class CalendarDate(LocalTimes):
    """A date as a day of the month grid or a card shows it (``calendar_dates()``,
    ``for_cards()``), answering with the Occurrence's own code: its link, whether it is
    off and why, whether it spans days."""

    def __init__(self, values: dict, event: CalendarEvent):
        self.__dict__.update(values)
        self.event = event

    # Read several times a row (its label, link and reason), never changed: worked out once.
    local_start = functools.cached_property(LocalTimes.local_start.fget)
    local_end = functools.cached_property(LocalTimes.local_end.fget)
    cancelled = Occurrence.cancelled
    cancellation_note = Occurrence.cancellation_note
    get_absolute_url = Occurrence.get_absolute_url
    is_multi_day = Occurrence.is_multi_day
