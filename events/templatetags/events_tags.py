"""Calendar widgets for templates: upcoming events, JSON-LD, webcal:// subscription links."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from core.markup import date_label, html, joined
from core.templatetags.portal import card_media
from core.templatetags.translated import in_english, untranslated_note
from events.models import upcoming_cards

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def when(occurrence) -> SafeString:
    """When a date is, as ``<time>`` elements in the page's language: the day and the
    times, or the days. A tag rather than an include: every card of every list of dates
    shows it, and the template engine's cost per include is paid per card."""
    start, end = occurrence.local_start, occurrence.local_end
    # Machine-readable dates straight from isoformat() (the date filter's "c" and "Y-m-d"
    # give the same): only what people read goes through the localised formats.
    if occurrence.event.all_day:
        first = html(
            '<time datetime="{}">{}</time>', start.date().isoformat(), date_label(start, "l j F Y")
        )
        if occurrence.is_multi_day:
            last = html(
                '<time datetime="{}">{}</time>', end.date().isoformat(), date_label(end, "l j F Y")
            )
            return html("{} – {}", first, last)
        return html("{}, {}", first, gettext("all day"))
    if occurrence.is_multi_day:
        return html(
            '<time datetime="{}">{}</time> – <time datetime="{}">{}</time>',
            start.isoformat(),
            date_label(start, "l j F Y, H:i"),
            end.isoformat(),
            date_label(end, "l j F Y, H:i"),
        )
    return html(
        '<time datetime="{}">{}, {}</time>–<time datetime="{}">{}</time>',
        start.isoformat(),
        date_label(start, "l j F Y"),
        date_label(start, "TIME_FORMAT"),
        end.isoformat(),
        date_label(end, "TIME_FORMAT"),
    )


@register.simple_tag
def event_card(occurrence) -> SafeString:
    """A date as a card in a list of dates (upcoming, past, a day, a strand's or project's
    panel): its day, title, when, type, strand, where, price and picture. A tag rather
    than an included template: a list shows twenty, and the template engine's cost of an
    include and of each of its lookups is paid per card."""
    event = occurrence.event
    cancelled = occurrence.cancelled
    day = occurrence.local_start
    reason = occurrence.cancellation_note if cancelled else ""
    return html(
        '<article class="event-card{}">'
        '<p class="event-card__date" aria-hidden="true"><span class="event-card__day">{}</span>'
        ' <span class="event-card__month">{}</span></p>'
        '<div class="event-card__body">'
        '<h3 class="event-card__title"><a href="{}">{}<span{}>{}</span></a></h3>{}'
        '<p class="event-card__when">{}</p>{}'
        '<p class="event-card__meta meta">{} · <bdi>{}</bdi> · <bdi>{}</bdi> · {}</p>'
        "</div>{}</article>",
        " event-card--cancelled" if cancelled else "",
        date_label(day, "j"),
        date_label(day, "M"),
        occurrence.get_absolute_url(),
        html('<span class="badge text-bg-danger">{}</span> ', gettext("Cancelled"))
        if cancelled
        else "",
        in_english(event, "title"),
        event.title,
        untranslated_note(event, "title"),
        when(occurrence),
        html(
            '<p class="event-card__cancelled">{}</p>',
            gettext("Cancelled: %(reason)s") % {"reason": reason},  # escaped whole
        )
        if reason
        else "",
        event.type_label,
        event.strand.title,
        _where(event),
        gettext("Free") if event.is_free else f"£{localize(event.price)}",
        card_media(event, event.strand, "8rem"),
    )


def _where(event) -> str:
    if event.is_online:
        return gettext("Online")
    if event.is_announced_on_booking:
        return gettext("Venue announced on booking")
    return event.public_venue.name if event.public_venue else ""


@register.simple_tag
def month_day(day, address, occurrences, month, today) -> SafeString:
    """One day of the month grid, as its table cell: the day, linked to its page, and its
    dates. A tag rather than template markup, as each of its dates is: a month has 35 to
    42 cells, and the template engine's cost of each lookup is paid per cell."""
    if day.month != month.month:
        return html(
            '<td class="month-grid__outside"><span class="visually-hidden">{}</span></td>',
            date_label(day, "MONTH_DAY_FORMAT"),
        )
    if day == today:
        state = "month-grid__today"
        note = html(' <span class="month-grid__today-label">{}</span>', gettext("Today"))
    elif day < today:
        state = "month-grid__past"
        note = html('<span class="visually-hidden"> {}</span>', gettext("(past)"))
    else:
        state = note = ""
    return html(
        '<td class="{}{}"{}><a class="month-grid__date" href="{}">'
        '<span class="month-grid__weekday">{} </span>{}'
        '<span class="month-grid__monthname"> {}</span>{}</a>{}</td>',
        state,
        "" if occurrences else " month-grid__empty",
        mark_safe(' aria-current="date"') if day == today else "",
        address,
        date_label(day, "l"),
        date_label(day, "j"),
        date_label(day, "F"),
        note,
        html("<ul>{}</ul>", joined(map(calendar_entry, occurrences))) if occurrences else "",
    )


@register.simple_tag
def calendar_entry(occurrence) -> SafeString:
    """One date in a day of the month grid: its time, its event's title and, when it is
    off, why. A tag rather than template markup: a busy month lists hundreds of dates
    (183 on the bench's data), and the template engine's cost is paid per date."""
    event = occurrence.event
    cancelled = occurrence.cancelled
    time = (
        ""
        if event.all_day
        else html(
            '<span class="month-grid__time">{}</span> ',
            date_label(occurrence.local_start, "TIME_FORMAT"),
        )
    )
    reason = occurrence.cancellation_note if cancelled else ""
    return html(
        '<li{}><a href="{}">{}{}<span{}>{}</span></a>{}</li>',
        mark_safe(' class="is-cancelled"') if cancelled else "",
        occurrence.get_absolute_url(),
        time,
        f"{gettext('Cancelled:')} " if cancelled else "",
        in_english(event, "title"),
        event.title,
        html(
            ' <span class="month-grid__reason">{}</span>',
            gettext("Cancelled: %(reason)s") % {"reason": reason},  # escaped whole
        )
        if reason
        else "",
    )


@register.inclusion_tag("events/includes/_upcoming.html", takes_context=True)
def upcoming_events(context, strand=None, project=None, limit=3):
    """The next few dates, for the home, strand and project pages: one query."""
    occurrences = upcoming_cards(
        strand=strand.pk if strand is not None else None,
        project=project.pk if project is not None else None,
    )
    return {
        "request": context.get("request"),
        "occurrences": list(occurrences[:limit]),
        "strand": strand,
        "project": project,
    }


@register.filter
def ld_json(data):
    """Render a dict as a schema.org <script type="application/ld+json"> block.

    Data, not code, so our Content-Security-Policy allows it; escaped so that no
    string in it can break out of the element.
    """
    data = dict(data)  # also unwraps a lazy object
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.simple_tag(takes_context=True)
def webcal_url(context, path):
    """A webcal:// address for a feed, so a click subscribes rather than downloads."""
    absolute = context["request"].build_absolute_uri(str(path))
    return "webcal://" + absolute.split("://", 1)[1]
