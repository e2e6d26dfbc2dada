"""Public views of the Calendar of Events. Thin: the querysets decide what is public."""

import calendar
import datetime
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from core.caching import fragments
from core.caching.fragments import CachedCountMixin
from core.caching.keys import keep_nothing, reads_query
from core.caching.responses import Document, conditional_document
from core.images import rendition_name, rendition_widths
from core.roles import can_preview
from core.urls import reverse as remembered_reverse
from events import ical
from events.forms import EventFilterForm, UpcomingFilterForm
from events.models import (
    Event,
    Occurrence,
    dates_between,
    dates_of,
    event_at,
    past_cards,
    upcoming_cards,
)
from events.presentation import (
    event_json_ld,
    getting_there,
    google_calendar_url,
    outlook_url,
)
from programme.models import Strand

# The calendar's pages answer for these years; anything else is a 404, not a 500.
MIN_YEAR, MAX_YEAR = 2000, 2100


def _valid_date(year: int, month: int, day: int = 1) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(_("The calendar does not reach that year."))
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Http404(_("There is no such date.")) from None


def _month_link(day: datetime.date | None) -> str | None:
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    return reverse("events:month", kwargs={"year": day.year, "month": day.month})


def _day_link(day: datetime.date) -> str | None:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return None
    # Remembered (core.urls): the month grid links every one of its days.
    return remembered_reverse(
        "events:day", kwargs={"year": day.year, "month": day.month, "day": day.day}
    )


def _published_strands(request) -> list:
    """The strands the filters offer; they change only with content: kept like a fragment."""
    # Only what the filters show and apply: a strand's name and address.
    return fragments.cached(request, "published-strands", [], Strand.published_names)


def _filters_as_asked(request, form) -> bool:
    """Whether the filters applied are the ones asked for, spelled as the form sends them."""
    asked = {name: request.GET.get(name) for name in form.fields}
    return form.query() == {name: value for name, value in asked.items() if value}


def _with_query(url: str | None, query: dict[str, str]) -> str | None:
    if url is None or not query:
        return url
    return f"{url}?{urlencode(query)}"


def by_month(occurrences) -> list[tuple[datetime.date, list]]:
    """A page of occurrences in runs of the same local month: (first of month, dates)."""
    months = []
    for occurrence in occurrences:
        month = occurrence.local_start.date().replace(day=1)
        if not months or months[-1][0] != month:
            months.append((month, []))
        months[-1][1].append(occurrence)
    return months


class UpcomingView(CachedCountMixin, ListView):
    """/events/: upcoming occurrences, soonest first, filtered by a GET form."""

    template_name = "events/occurrence_list.html"
    context_object_name = "occurrences"
    paginate_by = 20
    # What makes one list another (core/caching/keys.py): the filters, the page.
    query_parameters = (*UpcomingFilterForm.base_fields, "page")

    def get_queryset(self):
        self.today = timezone.localdate()
        self.filter_form = UpcomingFilterForm.from_query(
            self.request.GET, strands=_published_strands(self.request)
        )
        if not _filters_as_asked(self.request, self.filter_form):
            keep_nothing(self.request)  # ?strand=<no such strand>: no new cache entry
        return upcoming_cards(**self.filter_form.filters(today=self.today))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form
        month_query = form.query(EventFilterForm.base_fields)
        context.update(
            filter_form=form,
            strands=list(form.strands.values()),
            today=self.today,
            # Lazy: a kept fragment of the list never reads the page's dates.
            months=SimpleLazyObject(lambda: by_month(context["object_list"])),
            quick_links=form.quick_links(reverse("events:list")),
            audience_links=form.audience_links(reverse("events:list")),
            this_month=_with_query(_month_link(self.today), month_query),
        )
        return context


class PastView(CachedCountMixin, ListView):
    template_name = "events/past_list.html"
    context_object_name = "occurrences"
    paginate_by = 20
    query_parameters = ("page",)

    def get_queryset(self):
        return past_cards()


@reads_query(*EventFilterForm.base_fields)
def calendar_today(request):
    """The month view's front door: today's month, with the filters it was given."""
    today = timezone.localdate()
    form = EventFilterForm.from_query(request.GET, strands=_published_strands(request))
    return redirect(_with_query(_month_link(today), form.query()))


class MonthView(TemplateView):
    """A month as an accessible table; one query for all its occurrences."""

    template_name = "events/month.html"
    query_parameters = tuple(EventFilterForm.base_fields)

    def get_context_data(self, **kwargs):
        first = _valid_date(kwargs["year"], kwargs["month"])
        form = EventFilterForm.from_query(
            self.request.GET, strands=_published_strands(self.request)
        )
        if not _filters_as_asked(self.request, form):
            keep_nothing(self.request)
        weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
            first.year, first.month
        )
        # Lazy, so a cached calendar fragment (core/caching/fragments.py) skips the query.
        grid = functools.cache(lambda: self.grid(first, weeks, form))
        previous = first - datetime.timedelta(days=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        query = form.query()
        today = timezone.localdate()
        return super().get_context_data(
            month=first,
            today=today,
            filter_form=form,
            list_url=_with_query(reverse("events:list"), query),
            weekdays=weeks[0],
            weeks=SimpleLazyObject(lambda: grid()[0]),
            has_events=SimpleLazyObject(lambda: grid()[1]),
            previous_url=_with_query(_month_link(previous), query),
            previous_month=previous,
            next_url=_with_query(_month_link(following), query),
            next_month=following,
            today_url=(
                None
                if (first.year, first.month) == (today.year, today.month)
                else _with_query(_month_link(today), query)
            ),
        )

    @staticmethod
    def grid(first: datetime.date, weeks: list[list[datetime.date]], form):
        """The weeks as (day, its page's address, occurrences), and whether the month has
        any dates."""
        by_day = {day: [] for week in weeks for day in week}
        occurrences = dates_between(weeks[0][0], weeks[-1][-1], calendar=True, **form.filters())
        for occurrence in occurrences:
            day = max(occurrence.local_start.date(), weeks[0][0])
            last = min(occurrence.local_end.date(), weeks[-1][-1])
            while day <= last:
                by_day[day].append(occurrence)
                day += datetime.timedelta(days=1)
        has_events = any(by_day[day] for week in weeks for day in week if day.month == first.month)
        return [[(day, _day_link(day), by_day[day]) for day in week] for week in weeks], has_events


class DayView(TemplateView):
    template_name = "events/day.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        day = _valid_date(kwargs["year"], kwargs["month"], kwargs["day"])
        one = datetime.timedelta(days=1)
        return super().get_context_data(
            day=day,
            today=timezone.localdate(),
            occurrences=dates_between(day, day),
            previous_url=_day_link(day - one),
            next_url=_day_link(day + one),
            month_url=_month_link(day),
        )


def _first(dates):
    return next(iter(dates[:1]), None)


class EventDetailView(DetailView):
    """/events/<slug>/?on=YYYY-MM-DD: one event, at the date chosen (or its next date)."""

    context_object_name = "event"
    query_parameters = ("on",)

    def get_object(self, queryset=None):
        # With its strand, project and venue, by a query compiled once (issue 17).
        preview = can_preview(self.request.user, Event)
        event = event_at(self.kwargs[self.slug_url_kwarg], preview=preview)
        if event is None:
            raise Http404(_("No event found matching the query"))
        return event

    def chosen_occurrence(self, event):
        on = self.request.GET.get("on", "")
        if on:
            try:
                day = datetime.date.fromisoformat(on)
            except ValueError:
                day = None
            if day is not None and MIN_YEAR <= day.year <= MAX_YEAR:
                chosen = _first(dates_of(event.pk, day=day))
                if chosen is not None:
                    if on != day.isoformat():  # another spelling ("20260501"): shown, not kept
                        keep_nothing(self.request)
                    return chosen
            keep_nothing(self.request)  # a date without this event: the next one, not kept
        return _first(dates_of(event.pk, upcoming=True)) or _first(dates_of(event.pk, past=True))

    @staticmethod
    def other_dates(event, occurrence) -> list:
        if not event.is_recurring:
            return []
        others = list(dates_of(event.pk, upcoming=True, other_than=occurrence.pk)[:12])
        now = timezone.now()
        for other in others:
            other.event = event
            other.availability = other.booking_availability(now=now)
        return others

    def image_url(self, event) -> str | None:
        """The largest rendition, absolute, for search engines (no file access)."""
        if not event.image or not event.image_width:
            return None
        widest = rendition_widths(event.image_width)[-1]
        extension = event.image.name.rsplit(".", 1)[-1]
        url = event.image.storage.url(rendition_name(event.image.name, widest, extension))
        return self.request.build_absolute_uri(url)

    def get_context_data(self, **kwargs):
        event = self.object
        occurrence = self.chosen_occurrence(event)
        if occurrence is None:  # an event always has at least its first date
            raise Http404
        occurrence.event = event
        # Booked on this site: whether this date takes bookings now (never how many places
        # are left: this page is kept in the cache; the booking page says, live).
        occurrence.availability = occurrence.booking_availability()
        absolute_url = self.request.build_absolute_uri(occurrence.get_absolute_url())
        booking_url = None
        if occurrence.availability in ("open", "not-open-yet"):
            booking_url = self.request.build_absolute_uri(
                reverse("bookings:book", kwargs={"occurrence": occurrence.pk})
            )
        # "Add to calendar" gives this date's own file; the whole series is a choice beside it.
        series_ics_url = reverse("events:event_ics", kwargs={"slug": event.slug})
        ics_url = reverse(
            "events:occurrence_ics", kwargs={"slug": event.slug, "on": occurrence.local_start}
        )
        # Lazy, so the page's cached fragments (core/caching/fragments.py) skip them.
        return super().get_context_data(
            occurrence=occurrence,
            is_past=occurrence.end < timezone.now(),
            other_dates=SimpleLazyObject(lambda: self.other_dates(event, occurrence)),
            json_ld=SimpleLazyObject(
                lambda: (
                    event_json_ld(
                        occurrence,
                        absolute_url=absolute_url,
                        image_url=self.image_url(event),
                        booking_url=booking_url,
                    )
                    if event.is_published()
                    else ""
                )
            ),
            google_url=SimpleLazyObject(lambda: google_calendar_url(occurrence, absolute_url)),
            outlook_url=SimpleLazyObject(lambda: outlook_url(occurrence, absolute_url)),
            ics_url=ics_url,
            series_ics_url=series_ics_url if event.is_recurring else None,
            getting_there=SimpleLazyObject(lambda: getting_there(event)),
            strand_feed_url=SimpleLazyObject(
                lambda: reverse("events:strand_feed", kwargs={"strand": event.strand.slug})
            ),
            **kwargs,
        )


# ---------------------------------------------------------------- iCalendar


def _calendar(request, *, events, stamp: str, last_modified, name: str, filename: str):
    """A calendar as a conditional document: its ETag (from `stamp` and the content
    generation, which moves with every staff edit, also those that leave the events' own
    timestamps alone: a venue renamed, a bulk publish) answers a 304 before anything is
    rendered; its body, the dear part, and its gzipped copy (calendar apps take gzip:
    700 KB becomes about 100 KB) are kept under it (core/caching/responses.py)."""
    return Document(
        stamp=stamp,
        last_modified=last_modified,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=False, filename=filename
            ),
            "Cache-Control": "public, max-age=900",
        },
        render=lambda: _calendar_body(request, events, name),
    )


def _calendar_body(request, events, name: str) -> bytes:
    events = list(events)
    cancelled = {}
    for occurrence in Occurrence.objects.filter(
        event__in=[event.pk for event in events if event.rrule], is_cancelled=True
    ).order_by("start"):
        cancelled.setdefault(occurrence.event_id, []).append((occurrence.start, occurrence.end))
    return ical.build_calendar(
        events,
        name=name,
        absolute_url_for=lambda event: request.build_absolute_uri(event.get_absolute_url()),
        cancelled_by_event=cancelled,
    )


@reads_query()
@require_safe
@conditional_document(stamped=True)
def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    return _calendar(
        request,
        events=[event],
        stamp=f"{event.uid}:{event.sequence}:{event.updated_at.isoformat()}",
        # A venue edit, say, changes the calendar but not the event: the document's
        # Last-Modified is the later of this and when the content generation was made.
        last_modified=event.updated_at,
        name=event.title,
        filename=f"{event.slug}.ics",
    )


@reads_query()
@require_safe
@conditional_document(stamped=True)
def occurrence_ics(request, slug, on: datetime.date):
    """One date of an event as a calendar file of its own (one VEVENT), named
    ``<slug>-<YYYY-MM-DD>.ics``; the series' file is ``event_ics``."""
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    occurrence = next(
        (row for row in event.occurrences.on_day(on) if row.local_start.date() == on), None
    )
    if occurrence is None:
        raise Http404(_("The event has no date on that day."))
    occurrence.event = event
    absolute_url = request.build_absolute_uri(occurrence.get_absolute_url())
    return Document(
        stamp=(
            f"{event.uid}:{event.sequence}:{event.updated_at.isoformat()}:{occurrence.pk}"
            f":{occurrence.start.isoformat()}:{occurrence.end.isoformat()}"
            f":{occurrence.is_cancelled}"
        ),
        last_modified=event.updated_at,
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=f"{event.slug}-{on:%Y-%m-%d}.ics"
            ),
            "Cache-Control": "public, max-age=900",
        },
        render=lambda: ical.build_occurrence_calendar(occurrence, absolute_url=absolute_url),
    )


@reads_query()
@require_safe
@conditional_document(stamped=True)
def feed_ics(request, strand=None):
    today = timezone.localdate()
    # The window runs from midnight to midnight, so one day's feed is one content.
    start_of_today = datetime.datetime.combine(
        today, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )
    events = (
        Event.objects.published()
        .in_window(
            start_of_today - datetime.timedelta(days=settings.CALENDAR_FEED_DAYS_BEFORE),
            start_of_today + datetime.timedelta(days=settings.CALENDAR_FEED_DAYS_AFTER + 1),
        )
        .select_related("venue")
        .order_by("start", "pk")
    )
    name = settings.PORTAL["NAME"]
    if strand is not None:
        strand = get_object_or_404(Strand.objects.published(), slug=strand)
        events = events.filter(strand=strand)
        name = f"{name}: {strand.title}"
    # One aggregate over the window; kept per content generation and day, like pages.
    summary = fragments.cached(
        request,
        "feed-summary",
        [strand.pk if strand else "all", today],
        lambda: events.aggregate(latest=Max("updated_at"), count=Count("pk")),
    )
    # The copy depends on the date (the window moves) and on every staff edit (the
    # content generation, which the document's ETag and Last-Modified add).
    latest = max(filter(None, [summary["latest"], start_of_today]))
    return _calendar(
        request,
        events=events,
        stamp=(
            f"{strand.pk if strand else 'all'}:{today}:{summary['count']}:{latest.isoformat()}"
            f":{settings.CALENDAR_FEED_DAYS_BEFORE}:{settings.CALENDAR_FEED_DAYS_AFTER}"
        ),
        last_modified=latest,
        name=name,
        filename=f"{strand.slug if strand else 'events'}.ics",
    )
