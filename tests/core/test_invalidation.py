"""Which models are content: found from their querysets, connected, and none forgotten.

A model whose rows reach a public page must be content (its default manager's queryset
uses ContentQuerySetMixin), or an edit to it leaves kept pages stale and nothing else
notices. The allow-list below is the only other place a model is named.
"""

import datetime
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from core.caching import generation
from core.caching.generation import GENERATION_KEY, read_content_generation
from core.caching.invalidation import (
    content_models,
    content_through_models,
    find_content_models,
    is_content_model,
)
from events.models import Event, Occurrence
from events.recurrence import regenerate_occurrences
from programme.models import Project, Strand
from tests.events.factories import EventFactory, soon
from tests.programme.factories import PartnerFactory, ProjectFactory
from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory

OUR_APPS = ["core", "programme", "events", "volunteers", "refuge"]

# Models whose rows never reach a public page, each with the reason. Every other model of
# our apps must be content. (simple_history's historical models are left out below: the
# admin's history pages are staff-only.)
PRIVATE = {
    # Form posts counted per client for the rate limit.
    "core.RateLimitCounter",
    # Volunteers' personal data and what coordinators do with it: staff only.
    "volunteers.VolunteerApplication",
    "volunteers.Note",
    "volunteers.QueuedEmail",
    # How many applications were erased, and why: a number for reports.
    "volunteers.PurgedApplicationCount",
    # Messages from the contact page: staff only.
    "volunteers.ContactMessage",
}


def our_models() -> list[type[models.Model]]:
    return [
        model
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, HistoricalChanges)
    ]


def not_content(candidates, content) -> list[str]:
    """Labels of the models among `candidates` that are public and yet not in `content`."""
    return sorted(
        model._meta.label
        for model in candidates
        if model._meta.label not in PRIVATE and model not in content
    )


# ---------------------------------------------------------------- completeness


def test_every_model_whose_rows_reach_a_public_page_is_content():
    assert not_content(our_models(), content_models()) == []


def test_the_check_names_a_model_that_is_not_registered():
    """What the test above reports if, say, strands were left out of the registry."""
    assert not_content(our_models(), content_models() - {Strand}) == ["programme.Strand"]


def test_a_model_whose_queryset_loses_the_mixin_is_no_longer_found():
    """Removing ContentQuerySetMixin from a model's queryset takes it out of the registry,
    so the completeness test fails for it."""
    with mock.patch.object(Strand._default_manager, "_queryset_class", models.QuerySet):
        assert not is_content_model(Strand)
        found = find_content_models(our_models())
    assert Strand not in found
    assert not_content(our_models(), found) == ["programme.Strand"]


def test_the_private_list_names_only_real_models_that_are_not_content():
    labels = {model._meta.label for model in our_models()}
    assert labels >= PRIVATE
    assert not [model for model in content_models() if model._meta.label in PRIVATE]


def test_every_content_model_and_its_many_to_many_tables_are_connected():
    for model in content_models():
        assert post_save.has_listeners(model), model
        assert post_delete.has_listeners(model), model
        for field in model._meta.many_to_many:
            assert field.remote_field.through in content_through_models(), field
            assert m2m_changed.has_listeners(field.remote_field.through), field
    assert Project.partners.through in content_through_models()


# ---------------------------------------------------------------- what a change does


def current() -> str | None:
    return cache.get(GENERATION_KEY)


@pytest.mark.django_db
def test_linking_a_partner_to_a_project_starts_a_new_generation():
    project, partner = ProjectFactory(), PartnerFactory()
    read_content_generation()
    before = current()
    project.partners.add(partner)
    assert current() != before


@pytest.mark.django_db
def test_what_only_staff_see_keeps_the_generation():
    role = VolunteerRoleFactory()
    read_content_generation()
    before = current()
    application = VolunteerApplicationFactory()
    application.roles.add(role)  # a many-to-many table of a private model
    assert current() == before


@pytest.mark.django_db
def test_saving_an_occurrence_alone_starts_a_new_generation():
    occurrence = EventFactory(start=soon(3)).occurrences.get()
    read_content_generation()
    before = current()
    occurrence.is_cancelled = True
    occurrence.save()
    assert current() != before


@pytest.mark.django_db(transaction=True)
def test_replacing_many_rows_writes_the_generation_twice_at_most():
    """Every date moved or deleted sends a signal; the generation is written once at the
    transaction's first change and once at its commit, not once a row."""
    event = EventFactory(start=soon(1), rrule="FREQ=DAILY;COUNT=60")
    assert Occurrence.objects.filter(event=event).count() == 60
    event.start += datetime.timedelta(hours=1)  # every date moves…
    event.end += datetime.timedelta(hours=1)
    event.rrule = "FREQ=DAILY;COUNT=30"  # …and half of them go
    with mock.patch.object(
        generation, "_start_new_generation", wraps=generation._start_new_generation
    ) as written:
        with transaction.atomic():
            regenerate_occurrences(event)
            assert written.call_count == 1
        assert written.call_count == 2


@pytest.mark.django_db(transaction=True)
def test_a_transaction_rolled_back_leaves_no_new_generation_to_come():
    event = EventFactory(start=soon(1))
    with mock.patch.object(
        generation, "_start_new_generation", wraps=generation._start_new_generation
    ) as written:
        with transaction.atomic():
            event.title = "Never mind"
            event.save()
            transaction.set_rollback(True)
        assert written.call_count == 1  # at the change; no commit, so nothing more
        Event.objects.filter(pk=event.pk).update(title="Later")  # autocommit: at once
        assert written.call_count == 2


@pytest.mark.django_db
def test_a_second_change_before_anything_is_read_needs_no_new_generation():
    event = EventFactory(start=soon(1))
    read_content_generation()
    event.title = "First"
    event.save()
    after_first = current()
    Event.objects.filter(pk=event.pk).update(title="Second")  # nothing kept in between
    assert current() == after_first
    read_content_generation()  # something may now be kept under it
    Event.objects.filter(pk=event.pk).update(title="Third")
    assert current() != after_first
