"""Publishing: statuses, publish-from times, who may preview, and illustrated content."""

import datetime

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.caching.invalidation import ContentQuerySetMixin
from core.fields import CleanImageField, image_upload_to, require_alt_text


class Audience(models.TextChoices):
    """Who a project or event is for; shared by the programme and the calendar."""

    YOUNG_PEOPLE = "young-people", _("Young people")
    ADULTS = "adults", _("Adults")
    FAMILIES = "families", _("Families")
    SCHOOLS = "schools", _("Schools")
    WRITERS = "writers", _("Writers")


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class StaffPreviewQuerySetMixin:
    """`for_viewer`: staff who may change this model and have passed the second factor
    preview anything ("view on site", core/roles.py `can_preview`); everyone else,
    staff included, gets `public()`, which each queryset defines as what the public may
    reach."""

    def public(self):
        return self.published()

    def for_viewer(self, user):
        from core.roles import can_preview

        if can_preview(user, self.model):
            return self.all()
        return self.public()


def published_q(model, *, now: datetime.datetime, through: str = "") -> Q:
    """The publishing rule, written once: a public status and the publish-from time come.

    `through` reaches the rule across a relation (``through="event__"`` filters
    occurrences by their event's publication).
    """
    return Q(**{f"{through}status__in": model.PUBLIC_STATUSES}) & (
        Q(**{f"{through}publish_from__isnull": True}) | Q(**{f"{through}publish_from__lte": now})
    )


class PublishableQuerySet(StaffPreviewQuerySetMixin, ContentQuerySetMixin, models.QuerySet):
    def published(self, *, now: datetime.datetime | None = None):
        """What the public may see: a public status, and its publish-from time reached."""
        return self.filter(published_q(self.model, now=now or timezone.now()))


class Publishable(models.Model):
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        db_index=True,
    )
    publish_from = models.DateTimeField(
        _("publish from"),
        null=True,
        blank=True,
        help_text=_("Leave empty to publish as soon as the status is Published."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    # The statuses the public sees (once publish-from has come); events add "cancelled".
    PUBLIC_STATUSES = (PublicationStatus.PUBLISHED,)

    class Meta:
        abstract = True

    def is_published(self, *, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status in self.PUBLIC_STATUSES and (
            self.publish_from is None or self.publish_from <= now
        )

    def publish(self) -> None:
        self.status = PublicationStatus.PUBLISHED
        self.save()

    def unpublish(self) -> None:
        """Back to draft: off every public page, feed and search at once."""
        self.status = PublicationStatus.DRAFT
        self.save()


def publish_records(*, queryset) -> int:
    """Publish each record not yet published, one save each (so its history, its
    calendar revision and the caches all follow); return how many changed."""
    with transaction.atomic():
        records = list(queryset.exclude(status=PublicationStatus.PUBLISHED))
        for record in records:
            record.publish()
    return len(records)


def unpublish_records(*, queryset) -> int:
    """Return each record not yet a draft to draft; return how many changed."""
    with transaction.atomic():
        records = list(queryset.exclude(status=PublicationStatus.DRAFT))
        for record in records:
            record.unpublish()
    return len(records)


class Illustrated(models.Model):
    """An image with its description, for content that may have one (strands, projects, events)."""

    image = CleanImageField(
        _("image"),
        upload_to=image_upload_to,
        blank=True,
        width_field="image_width",
        height_field="image_height",
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(
        _("image description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it. Required with an image."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        require_alt_text(self, "image")


def save_each(*, queryset, changes: dict, reason: str = "") -> int:
    """Set `changes` on each record that does not have them yet, one save each (so its
    history, the caches and withheld images all follow, as for a single edit); `reason`
    goes into each record's history. Return how many changed."""
    with transaction.atomic():
        records = [
            record
            for record in queryset.select_for_update(of=("self",))
            if any(getattr(record, name) != value for name, value in changes.items())
        ]
        for record in records:
            for name, value in changes.items():
                setattr(record, name, value)
            if reason:
                record._change_reason = reason
            record.save()
    return len(records)
