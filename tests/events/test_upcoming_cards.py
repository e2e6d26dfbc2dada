"""The published dates as cards and as the month grid's, by a query compiled once per
combination of filters (``events.models.upcoming_cards``, ``past_cards``,
``dates_between``): each combination lists and counts what the queryset it stands for
does, the filter form's and the home, strand and project panels'."""

import datetime
import itertools

import pytest
from django.utils import timezone

from events.forms import EventFilterForm, UpcomingFilterForm
from events.models import (
    EventStatus,
    EventType,
    Occurrence,
    dates_between,
    past_cards,
    upcoming_cards,
)
from events.templatetags.events_tags import event_card
from tests.events.factories import EventFactory, dates_in_every_state, soon
from tests.programme.factories import ProjectFactory, StrandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strands():
    community, shahrazad = StrandFactory(slug="community"), StrandFactory(slug="shahrazad")
    dates_in_every_state(strand=community, audiences=["young-people", "adults"])
    project = ProjectFactory(strand=shahrazad, slug="stories")
    EventFactory(
        strand=shahrazad, project=project, title="Told", start=soon(2), is_free=False, price=4
    )
    EventFactory(
        strand=shahrazad, title="For the young", start=soon(40), audiences=["young-people"]
    )
    EventFactory(strand=community, title="A talk", start=soon(5), event_type=EventType.TALK)
    EventFactory(strand=community, title="Not yet", start=soon(6), status=EventStatus.DRAFT)
    EventFactory(
        strand=community,
        title="Announced later",
        start=soon(6),
        publish_from=timezone.now() + datetime.timedelta(days=1),
    )
    EventFactory(strand=community, title="Over", start=soon(-3))
    return {"community": community, "shahrazad": shahrazad, "project": project}


QUERIES = [
    {"strand": strand, "audience": audience, "type": kind, "free": free, "when": when}
    for strand, audience, kind, free, when in itertools.product(
        ("", "community", "shahrazad"),
        ("", "young-people"),
        ("", EventType.TALK),
        ("", "on"),
        ("", "this-week", "next-month"),
    )
]


def test_every_combination_of_filters_lists_and_counts_what_the_form_s_queryset_does(strands):
    today = timezone.localdate()
    names = {strand.slug: strand for strand in (strands["community"], strands["shahrazad"])}
    seen = set()
    for query in QUERIES:
        form = UpcomingFilterForm.from_query(
            {name: value for name, value in query.items() if value}, strands=names.values()
        )
        expected = form.apply(Occurrence.objects.published().upcoming().for_cards(), today=today)
        compiled = upcoming_cards(**form.filters(today=today))
        assert [card.pk for card in compiled] == [card.pk for card in expected], query
        assert compiled.count() == expected.count(), query
        assert [card.pk for card in compiled[1:3]] == [card.pk for card in expected[1:3]], query
        seen.add(len(expected))
    assert len(seen) > 4  # the combinations do tell the dates apart


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_panels_show_the_cards_the_queryset_makes(strands, language):
    from django.utils import translation

    with translation.override(language):
        for panel, queryset in (
            ({}, Occurrence.objects.published().upcoming()),
            (
                {"strand": strands["community"].pk},
                Occurrence.objects.published().upcoming().for_strand(strands["community"]),
            ),
            (
                {"project": strands["project"].pk},
                Occurrence.objects.published().upcoming().for_project(strands["project"]),
            ),
        ):
            cards = list(upcoming_cards(**panel)[:3])
            assert [event_card(card) for card in cards] == [
                event_card(card) for card in queryset.for_cards()[:3]
            ], panel
            assert cards, panel


def test_only_published_dates_not_finished_are_listed(strands):
    titles = {card.event.title for card in upcoming_cards()}
    assert {"Told", "For the young", "A talk", "Called off", "Weekly workshop"} <= titles
    assert not {"Not yet", "Announced later", "Over"} & titles
    later = timezone.now() + datetime.timedelta(days=2)
    assert "Announced later" in {card.event.title for card in upcoming_cards(now=later)}


def test_dates_come_as_a_pair():
    with pytest.raises(ValueError, match="both start and end"):
        upcoming_cards(start=timezone.now())


def _as_read(row) -> dict:
    return {name: vars(value) if name == "event" else value for name, value in vars(row).items()}


def test_past_dates_and_a_span_of_days_read_what_their_querysets_read(strands):
    past = Occurrence.objects.published().past().for_cards()
    assert [card.pk for card in past_cards()] == [card.pk for card in past]
    assert past_cards().count() == past.count() == 1
    first, last = timezone.localdate(), timezone.localdate() + datetime.timedelta(days=14)
    names = {strand.slug: strand for strand in (strands["community"], strands["shahrazad"])}
    for asked in QUERIES:
        query = {name: value for name, value in asked.items() if value and name != "when"}
        form = EventFilterForm.from_query(query, strands=names.values())
        between = form.apply(Occurrence.objects.published().between(first, last))
        grid = dates_between(first, last, calendar=True, **form.filters())
        assert [_as_read(date) for date in grid] == [
            _as_read(date) for date in between.calendar_dates()
        ]
        cards = dates_between(first, last, **form.filters())
        assert [card.pk for card in cards] == [card.pk for card in between.for_cards()]


def test_the_counts_of_every_date_to_come_or_gone_are_the_public_ones(
    strands, django_assert_num_queries
):
    EventFactory(title="Was a draft", start=soon(-5), status=EventStatus.DRAFT)
    EventFactory(
        title="Announced a while ago",
        start=soon(-2),
        publish_from=timezone.now() - datetime.timedelta(days=9),
    )
    EventFactory(
        title="Announced tomorrow",
        start=soon(3),
        rrule="FREQ=DAILY;COUNT=4",
        publish_from=timezone.now() + datetime.timedelta(days=1),
    )
    upcoming = Occurrence.objects.published().upcoming()
    past = Occurrence.objects.published().past()
    expected = upcoming.count()
    with django_assert_num_queries(1):  # all the dates less the hidden events', in one
        assert upcoming_cards().count() == expected
    assert past_cards().count() == past.count() == 2
    later = timezone.now() + datetime.timedelta(days=2)
    to_come = upcoming_cards(now=later)
    assert to_come.count() == Occurrence.objects.published(now=later).upcoming(now=later).count()
    assert [card.event.title for card in to_come].count("Announced tomorrow") == 4
