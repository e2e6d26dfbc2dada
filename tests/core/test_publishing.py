"""The publishing rule, written once and used by every model that publishes."""

import datetime

import pytest
from django.utils import timezone

from core.publishing import (
    PublicationStatus,
    publish_records,
    published_q,
    unpublish_records,
)
from events.models import Event, EventStatus, LocationMode, Occurrence
from programme.models import Page, Strand
from tests.events.factories import EventFactory
from tests.programme.factories import PageFactory, StrandFactory

pytestmark = pytest.mark.django_db


def test_every_publishable_model_declares_its_public_statuses():
    assert Strand.PUBLIC_STATUSES == (PublicationStatus.PUBLISHED,)
    assert Page.PUBLIC_STATUSES == (PublicationStatus.PUBLISHED,)
    assert Event.PUBLIC_STATUSES == (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def test_a_cancelled_event_and_its_dates_stay_public_a_draft_does_not():
    cancelled = EventFactory(status=EventStatus.CANCELLED, cancellation_reason="Ill")
    draft = EventFactory(status=EventStatus.DRAFT)
    assert set(Event.objects.published()) == {cancelled}
    assert {o.event for o in Occurrence.objects.published()} == {cancelled}
    assert cancelled.is_published()
    assert not draft.is_published()


def test_publish_from_in_one_minute_is_not_yet_public():
    soon = timezone.now() + datetime.timedelta(minutes=1)
    strand = StrandFactory(publish_from=soon)
    assert not Strand.objects.published().filter(pk=strand.pk).exists()
    assert Strand.objects.published(now=soon).filter(pk=strand.pk).exists()
    assert Strand.objects.filter(published_q(Strand, now=soon)).filter(pk=strand.pk).exists()


def test_publishing_services_save_each_record_so_history_follows():
    drafts = [PageFactory(status=PublicationStatus.DRAFT) for _ in range(2)]
    assert publish_records(queryset=Page.objects.all()) == 2
    assert publish_records(queryset=Page.objects.all()) == 0  # already published
    for page in drafts:
        assert page.history.latest().status == PublicationStatus.PUBLISHED
    assert unpublish_records(queryset=Page.objects.all()) == 2
    assert not Page.objects.published().exists()


def test_publishing_a_cancelled_event_clears_its_reason():
    event = EventFactory(status=EventStatus.CANCELLED, cancellation_reason="Storm")
    publish_records(queryset=Event.objects.filter(pk=event.pk))
    event.refresh_from_db()
    assert (event.status, event.cancellation_reason) == (EventStatus.PUBLISHED, "")


def test_templates_ask_the_event_where_it_is():
    online = EventFactory.build(location=LocationMode.ONLINE)
    on_booking = EventFactory.build(location=LocationMode.ON_BOOKING)
    assert online.is_online
    assert not online.is_announced_on_booking
    assert on_booking.is_announced_on_booking
    assert not on_booking.is_online
