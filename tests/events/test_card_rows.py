"""Event cards read their dates as plain values (``for_cards()``): each card must be the
card its Occurrence makes, in every language, whatever the event's state, and a venue
announced on booking stays unnamed."""

import decimal

import pytest
from django.utils import translation

from events.models import LocationMode, Occurrence
from events.templatetags.events_tags import event_card
from tests.events.factories import EventFactory, VenueFactory, dates_in_every_state, soon
from tests.programme.factories import StrandFactory
from tests.programme.images import phone_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def dates():
    dates_in_every_state(
        strand=StrandFactory(title="Community", title_ar="المجتمع"),
        image=phone_photo(800, 600, orientation=1),
        image_alt="Writers around a table",
    )
    EventFactory(
        title="Secret address",
        start=soon(12),
        location=LocationMode.ON_BOOKING,
        venue=VenueFactory(name="The Safe House"),
        booking_url="https://example.org/book",
    )
    EventFactory(title="On the screen", start=soon(13), location=LocationMode.ONLINE, venue=None)
    EventFactory(title="Paid for", start=soon(15), is_free=False, price=decimal.Decimal("5.50"))
    return Occurrence.objects.published()


@pytest.mark.parametrize("language", ["en", "ar", "fa"])
def test_each_card_is_the_card_its_occurrence_makes(dates, language):
    with translation.override(language):
        models = list(
            dates.select_related("event", "event__strand", "event__venue").order_by("start")
        )
        cards = list(dates.order_by("start").for_cards())
        assert len(cards) == len(models) == 9
        for model, card in zip(models, cards, strict=True):
            assert event_card(card) == event_card(model)
            assert card.get_absolute_url() == model.get_absolute_url()
            assert card.is_multi_day == model.is_multi_day


def test_the_cards_show_what_the_events_are(dates):
    cards = {card.event.title: card for card in dates.for_cards()}
    assert "The Safe House" not in event_card(cards["Secret address"])
    assert "Venue announced on booking" in event_card(cards["Secret address"])
    assert "Online" in event_card(cards["On the screen"])
    assert "£5.50" in event_card(cards["Paid for"])
    assert "The hall flooded" in event_card(cards["Called off"])
    assert "<picture>" in event_card(cards["Weekly workshop"])
    assert 'alt="Writers around a table"' in event_card(cards["Weekly workshop"])
    assert "card-media--drawn" in event_card(cards["Paid for"])


def test_a_list_of_cards_is_one_query_and_still_pages(dates, django_assert_num_queries):
    cards = dates.upcoming().for_cards()
    with django_assert_num_queries(2):
        assert cards.count() == 9
        assert [card.event.title for card in cards[:2]] == ["Weekly workshop", "Called off"]


def test_the_strand_filter_takes_a_strand_or_its_name(dates):
    from programme.models import Strand

    strand = Strand.objects.get(title="Community")
    name = Strand.objects.names().get(pk=strand.pk)
    by_model = [card.pk for card in dates.for_strand(strand).for_cards()]
    assert by_model == [card.pk for card in dates.for_strand(name).for_cards()]
    assert len(by_model) == 4


def test_counting_the_cards_joins_only_what_decides_which_dates(dates):
    """The paginator counts every upcoming date: the columns a card reads (its strand,
    its venue, the reasons) must not make that count dearer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert dates.upcoming().for_cards().count() == 9
    (count,) = queries.captured_queries
    assert "programme_strand" not in count["sql"]
    assert "events_venue" not in count["sql"]
    assert "reasons_if_cancelled" not in count["sql"]
