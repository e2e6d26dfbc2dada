"""Which models are content, and how their changes reach the content generation.

A model opts in in exactly one place: its default manager's queryset uses
``ContentQuerySetMixin`` (``objects = ContentQuerySet.as_manager()`` for a model with no
domain verbs, or the mixin in its own queryset; ``core.publishing.PublishableQuerySet``
has it). That makes it content:

- its querysets' bulk writes (``update()``, ``bulk_create()``, ``delete()``: the admin's
  publish and unpublish actions, occurrences replaced in bulk), which send no signals,
  call ``content_changed()`` themselves;
- ``connect_content_models()``, run once by ``CoreConfig.ready()``, finds every such model
  and connects its ``post_save`` and ``post_delete``, and the ``m2m_changed`` of each
  many-to-many field it declares (a project's partners), to ``content_changed()``.

``tests/core/test_invalidation.py`` fails when a model whose rows reach a public page is
not content.
"""

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching.generation import content_changed


class ContentQuerySetMixin:
    """Bulk writes, which send no signals, still start a new content generation."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        if count:
            content_changed()
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            content_changed()
        return created

    bulk_create.alters_data = True

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            content_changed()
        return deleted

    delete.alters_data = True
    delete.queryset_only = True


class ContentQuerySet(ContentQuerySetMixin, models.QuerySet):
    """The default queryset for content models that have no domain verbs of their own."""


# What connect_content_models() found (read through content_models()).
_connected: set[type[models.Model]] = set()
_connected_through: set[type[models.Model]] = set()


def is_content_model(model: type[models.Model]) -> bool:
    """Whether `model`'s default manager hands out querysets with ContentQuerySetMixin."""
    return isinstance(model._default_manager.get_queryset(), ContentQuerySetMixin)


def content_models() -> frozenset[type[models.Model]]:
    """The content models connected at start-up."""
    return frozenset(_connected)


def content_through_models() -> frozenset[type[models.Model]]:
    """The many-to-many tables of content models, connected at start-up."""
    return frozenset(_connected_through)


def find_content_models(candidates) -> list[type[models.Model]]:
    """The content models among `candidates`."""
    return [model for model in candidates if is_content_model(model)]


def connect_content_models() -> None:
    """Connect every content model's changes to ``content_changed`` (idempotent)."""
    for model in find_content_models(apps.get_models()):
        uid = f"content-changed:{model._meta.label}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid)
        _connected.add(model)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            uid = f"content-changed:{through._meta.label}"
            m2m_changed.connect(_links_changed, sender=through, dispatch_uid=uid)
            _connected_through.add(through)


def _links_changed(action: str, **kwargs) -> None:
    # Sent before and after each add, remove and clear: once, after, is enough.
    if action.startswith("post_"):
        content_changed()
