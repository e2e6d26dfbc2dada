"""The programme's content: strands, writers in residence, partners, pages."""

import datetime

from django import forms
from django.apps import apps as global_apps
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models, transaction
from django.db.models import Case, F, Q, Value, When, signals
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programme import media
from programme.images import store_clean_image, validate_image_upload
from programme.sanitise import sanitise_html
from refuge.page_cache import ContentQuerySet, ContentQuerySetMixin


class FormattedTextField(models.TextField):
    """HTML written by staff; sanitised with nh3 every time it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


def require_alt_text(instance, field: str) -> None:
    from django.core.exceptions import ValidationError

    if getattr(instance, field) and not getattr(instance, f"{field}_alt").strip():
        raise ValidationError(
            {f"{field}_alt": _("Describe the image for people who cannot see it.")}
        )


def search_vector_field(**weighted_fields: str) -> models.GeneratedField:
    """A stored tsvector, kept up to date by PostgreSQL itself (GIN-indexed by the model).

    ``search_vector_field(title="A", summary="B")`` weighs matches in titles highest.
    """
    vectors = [
        SearchVector(field, weight=weight, config="english")
        for field, weight in weighted_fields.items()
    ]
    expression = vectors[0]
    for vector in vectors[1:]:
        expression = expression + vector
    return models.GeneratedField(
        expression=expression, output_field=SearchVectorField(), db_persist=True, editable=False
    )


class CleanImageFormField(forms.ImageField):
    """Checks an upload where it arrives (never a file already stored), with our messages."""

    def to_python(self, data):
        # Our checks first, so a bomb or a huge file gets our message, not a generic one.
        if data is not None and hasattr(data, "size"):
            validate_image_upload(data)
            data.checked_as_image_upload = True  # the model field need not check it again
        return super().to_python(data)


class CleanImageField(models.ImageField):
    """An image stored only after its metadata is stripped, with renditions beside it.

    Pair it with ``<name>_width``/``<name>_height`` fields (so templates never
    open the file) and, where people see it, an ``<name>_alt`` text field.
    Stored names are random. ``public_when`` names a property of the record:
    while it is false the files are withheld (programme/media.py). Files no
    record refers to any more are deleted once the change is committed.
    """

    def __init__(self, *args, public_when: str | None = None, **kwargs):
        self.public_when = public_when
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # Real models only: migrations build models of their own (StateApps) as they run.
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            media.register_image_field(cls, self)
            signals.post_save.connect(self._after_save, sender=cls, weak=False)
            signals.post_delete.connect(self._after_delete, sender=cls, weak=False)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        # A new file that did not come through the form (a script, a fixture) is checked
        # too; a file already stored was checked when it arrived and is never re-read.
        if (
            value
            and not value._committed
            and not getattr(value.file, "checked_as_image_upload", False)
        ):
            validate_image_upload(value)

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # The size of a stored image is recorded when it is stored; re-reading it would
        # download the file on every save (and a withheld file is not where Django looks).
        if self.attname in instance.__dict__:
            file = getattr(instance, self.attname)
            if file and file._committed:
                return
        super().update_dimension_fields(instance, force, *args, **kwargs)

    def _is_public(self, instance) -> bool:
        return not self.public_when or bool(getattr(instance, self.public_when))

    def _width(self, instance) -> int | None:
        return getattr(instance, self.width_field) if self.width_field else None

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if not add and model_instance.pk is not None:
            previous = (
                type(model_instance)
                ._base_manager.filter(pk=model_instance.pk)
                .values_list(self.attname, self.width_field or self.attname)
                .first()
            )
            model_instance.__dict__[f"_previous_{self.attname}"] = previous
        if file and not file._committed:
            storage = self.storage if self._is_public(model_instance) else media.withheld_storage()
            stored = store_clean_image(
                storage, self.generate_filename(model_instance, "upload"), file
            )
            file.name = stored.name
            file._committed = True
            # Forget the upload (original bytes, pre-rotation size): the stored size is known.
            file._file = None
            file.__dict__.pop("_dimensions_cache", None)
            if self.width_field:
                setattr(model_instance, self.width_field, stored.width)
            if self.height_field:
                setattr(model_instance, self.height_field, stored.height)
        return file

    def _after_save(self, sender, instance, raw=False, **kwargs):
        if raw:
            return
        previous = instance.__dict__.pop(f"_previous_{self.attname}", None)
        file = getattr(instance, self.attname)
        if previous and previous[0] and previous[0] != file.name:
            old_name, old_width = previous[0], previous[1] if self.width_field else None
            transaction.on_commit(lambda: media.discard(old_name, old_width))
        if not file:
            return
        name, width = file.name, self._width(instance)
        if self._is_public(instance):
            # Only once committed: a rolled-back save must not have shown anything.
            transaction.on_commit(lambda: media.reveal(name, width))
        else:
            # At once, inside the transaction: if it rolls back, the image stays hidden.
            media.withhold(name, width)

    def _after_delete(self, sender, instance, **kwargs):
        file = getattr(instance, self.attname)
        if file:
            name, width = file.name, self._width(instance)
            transaction.on_commit(lambda: media.discard(name, width))


class ChoiceArrayField(ArrayField):
    """A PostgreSQL array of choices, edited as a group of checkboxes."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield, which would force its comma-separated text input.
        return super(ArrayField, self).formfield(**defaults)


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
    preview anything ("view on site", programme/roles.py `can_preview`); everyone else,
    staff included, gets `public()`, which each queryset defines as what the public may
    reach."""

    def public(self):
        return self.published()

    def for_viewer(self, user):
        from programme.roles import can_preview

        if can_preview(user, self.model):
            return self.all()
        return self.public()


class PublishableQuerySet(StaffPreviewQuerySetMixin, ContentQuerySetMixin, models.QuerySet):
    def published(self, *, now: datetime.datetime | None = None):
        """What the public may see: published, and its publish-from time reached."""
        now = now or timezone.now()
        return self.filter(status=PublicationStatus.PUBLISHED).filter(
            Q(publish_from__isnull=True) | Q(publish_from__lte=now)
        )


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

    class Meta:
        abstract = True

    def is_published(self, *, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == PublicationStatus.PUBLISHED and (
            self.publish_from is None or self.publish_from <= now
        )


def image_upload_to(instance, filename: str) -> str:
    """strands/…, projects/…, events/…: one folder per kind of content."""
    return f"{instance._meta.model_name}s/{filename}"


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


class Strand(Illustrated, Publishable):
    """One of the programme's strands (Community Programme, Writer in Residence, Shahrazad)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("One or two sentences, shown on cards.")
    )
    body = FormattedTextField(_("body"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    search_vector = search_vector_field(title="A", summary="B", body="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("programme strand")
        verbose_name_plural = _("programme strands")
        indexes = [GinIndex(fields=["search_vector"], name="strand_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:strand", kwargs={"slug": self.slug})


class ProjectQuerySet(PublishableQuerySet):
    def for_audience(self, audience: str):
        return self.filter(audiences__contains=[audience])

    def running(self, *, today: datetime.date | None = None):
        """Ongoing projects, or ones whose dates include today."""
        today = today or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=today)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )


class Project(Illustrated, Publishable):
    """A project within a strand: Strangers and Canaries, a competition, the library project…"""

    strand = models.ForeignKey(
        Strand, on_delete=models.PROTECT, related_name="projects", verbose_name=_("strand")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    summary = models.TextField(_("summary"), max_length=400)
    body = FormattedTextField(_("body"), blank=True)
    audiences = ChoiceArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audiences"),
        default=list,
        blank=True,
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for an ongoing project.")
    )
    age_range = models.CharField(
        _("age range"), max_length=100, blank=True, help_text=_("For example: 11–18.")
    )
    cost = models.CharField(
        _("cost"), max_length=100, blank=True, help_text=_("For example: Free, or £5 per session.")
    )
    how_to_take_part = models.TextField(_("how to take part"), blank=True)
    partners = models.ManyToManyField(
        "Partner", blank=True, related_name="projects", verbose_name=_("partners")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    search_vector = search_vector_field(title="A", summary="B", body="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["strand__order", "order", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        indexes = [GinIndex(fields=["search_vector"], name="project_search")]
        constraints = [
            models.UniqueConstraint(
                fields=["strand", "slug"], name="project_slug_unique_in_strand"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "programme:project", kwargs={"strand_slug": self.strand.slug, "slug": self.slug}
        )

    @property
    def is_ongoing(self) -> bool:
        return self.end_date is None

    def get_audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audiences]


class WriterVisibility(models.TextChoices):
    PUBLIC = "public", _("Public: listed and searchable")
    UNLISTED = "unlisted", _("Unlisted: reachable by link only, never listed or indexed")
    HIDDEN = "hidden", _("Hidden: not on the site at all")


class WriterQuerySet(StaffPreviewQuerySetMixin, ContentQuerySetMixin, models.QuerySet):
    def with_consent(self):
        """Writers who have agreed to be presented and have not withdrawn."""
        return self.filter(consent_recorded_on__isnull=False, consent_withdrawn_on__isnull=True)

    def reachable(self):
        """Writers whose profile page answers to the public (public or unlisted)."""
        return self.with_consent().filter(
            visibility__in=[WriterVisibility.PUBLIC, WriterVisibility.UNLISTED]
        )

    def listed(self):
        """Writers who may appear in lists, search, sitemaps and feeds."""
        return self.with_consent().filter(visibility=WriterVisibility.PUBLIC)

    def public(self):
        """Staff preview any profile; the public reaches only consented, unhidden ones."""
        return self.reachable()

    def current(self, *, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            Q(residency_start__lte=today),
            Q(residency_end__isnull=True) | Q(residency_end__gte=today),
        )

    def in_residency_order(self, *, today: datetime.date | None = None):
        """In residence now and those hosted, the latest first, with those coming soon
        (the soonest first) between them."""
        today = today or timezone.localdate()
        rank = Case(
            When(residency_start__gt=today, then=Value(1)),
            When(residency_end__lt=today, then=Value(2)),
            default=Value(0),
        )
        coming = Case(When(residency_start__gt=today, then=F("residency_start")))
        return self.annotate(residency_rank=rank, coming_on=coming).order_by(
            "residency_rank",
            F("coming_on").asc(nulls_last=True),
            F("residency_start").desc(nulls_last=True),
            "name",
        )


class Writer(models.Model):
    """A writer hosted by the programme, presented only as they agreed.

    The portal stores the name a writer publishes under and never a legal
    name. Nothing is public until consent is recorded; withdrawing it takes
    the profile down at once.
    """

    name = models.CharField(
        _("name"), max_length=200, help_text=_("The name the writer publishes under.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=WriterVisibility.choices,
        default=WriterVisibility.HIDDEN,
    )
    consent_recorded_on = models.DateField(
        _("consent recorded on"),
        null=True,
        blank=True,
        help_text=_("Nothing about the writer is published until this is set."),
    )
    consent_scope = models.TextField(
        _("consent scope"), blank=True, help_text=_("What the writer agreed may be published.")
    )
    consent_withdrawn_on = models.DateField(
        _("consent withdrawn on"),
        null=True,
        blank=True,
        help_text=_("Setting this unpublishes the writer immediately."),
    )
    country_of_origin = models.CharField(_("country of origin"), max_length=100, blank=True)
    show_country = models.BooleanField(
        _("show country of origin"),
        default=False,
        help_text=_("Leave unticked to withhold the country from every public page."),
    )
    portrait = CleanImageField(
        _("portrait"),
        upload_to="writers/",
        public_when="portrait_is_public",
        blank=True,
        width_field="portrait_width",
        height_field="portrait_height",
        help_text=_("Location data and all other metadata are removed on upload."),
    )
    portrait_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    portrait_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    portrait_alt = models.CharField(
        _("portrait description (alt text)"), max_length=250, blank=True
    )
    show_portrait = models.BooleanField(
        _("show portrait"),
        default=False,
        help_text=_("Leave unticked to withhold the portrait from every public page."),
    )
    strand = models.ForeignKey(
        Strand,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="writers",
        verbose_name=_("strand"),
    )
    languages = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("Separate with commas, e.g. Chinese, English."),
    )
    genres = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("genres"),
        default=list,
        blank=True,
        help_text=_("Separate with commas, e.g. essays, journalism."),
    )
    summary = models.TextField(_("summary"), max_length=400, blank=True)
    biography = FormattedTextField(_("biography"), blank=True)
    residency_start = models.DateField(_("residency start"), null=True, blank=True)
    residency_end = models.DateField(_("residency end"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = search_vector_field(name="A", summary="B", biography="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = WriterQuerySet.as_manager()

    class Meta:
        ordering = ["-residency_start", "name"]
        verbose_name = _("writer")
        verbose_name_plural = _("writers")
        indexes = [GinIndex(fields=["search_vector"], name="writer_search")]
        constraints = [
            models.CheckConstraint(
                condition=Q(residency_end__isnull=True)
                | Q(residency_start__isnull=True)
                | Q(residency_end__gte=models.F("residency_start")),
                name="writer_residency_ends_after_start",
                violation_error_message=_("The residency must not end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programme:writer", kwargs={"slug": self.slug})

    def clean(self):
        require_alt_text(self, "portrait")

    @property
    def has_consent(self) -> bool:
        return self.consent_recorded_on is not None and self.consent_withdrawn_on is None

    @property
    def is_listed(self) -> bool:
        return self.visibility == WriterVisibility.PUBLIC and self.has_consent

    @property
    def is_reachable(self) -> bool:
        return self.visibility != WriterVisibility.HIDDEN and self.has_consent

    @property
    def public_country(self) -> str:
        return self.country_of_origin if self.show_country else ""

    @property
    def portrait_is_public(self) -> bool:
        """May the portrait's files be served at all? Otherwise they are withheld."""
        return self.is_reachable and self.show_portrait

    @property
    def public_portrait(self):
        return self.portrait if self.portrait_is_public and self.portrait else None

    def residency_state(self, *, today: datetime.date | None = None) -> str:
        """'current', 'past' or 'upcoming', for grouping on the writers page."""
        today = today or timezone.localdate()
        if self.residency_start and self.residency_start > today:
            return "upcoming"
        if self.residency_end and self.residency_end < today:
            return "past"
        return "current"


class Work(models.Model):
    """A published work by a writer."""

    writer = models.ForeignKey(Writer, on_delete=models.CASCADE, related_name="works")
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=60, blank=True)
    link = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "-year", "title"]
        verbose_name = _("work")
        verbose_name_plural = _("works")

    def __str__(self) -> str:
        return self.title


class Quote(models.Model):
    """A quotation by or about a writer."""

    writer = models.ForeignKey(Writer, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(_("quotation"))
    source = models.CharField(_("source"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")

    def __str__(self) -> str:
        return self.text[:60]


class PartnerKind(models.TextChoices):
    FUNDER = "funder", _("Funder")
    PARTNER = "partner", _("Partner")
    NETWORK = "network", _("Network")


class Partner(Publishable):
    """A funder, partner or network that supports the programme."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=PartnerKind.choices)
    url = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=400, blank=True)
    logo = CleanImageField(
        _("logo"),
        upload_to="partners/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        help_text=_("Its description for screen readers is the partner's name."),
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("partner or supporter")
        verbose_name_plural = _("partners and supporters")

    def __str__(self) -> str:
        return self.name

    @property
    def logo_alt(self) -> str:
        return self.name


class Page(Publishable):
    """A staff-edited page: the background story, privacy notice, accessibility, contact."""

    # These slugs have their own short URLs (/about/ rather than /pages/about/).
    SHORT_URL_SLUGS = ("about", "privacy", "accessibility", "contact")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    summary = models.TextField(
        _("summary"), max_length=400, blank=True, help_text=_("Used as the page's description.")
    )
    body = FormattedTextField(_("body"), blank=True)
    version = models.CharField(
        _("version"),
        max_length=40,
        blank=True,
        help_text=_(
            "For notices such as the privacy notice: change it whenever the text changes "
            "materially. Volunteers' consent records the version they agreed to."
        ),
    )
    search_vector = search_vector_field(title="A", summary="B", body="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        indexes = [GinIndex(fields=["search_vector"], name="page_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.slug in self.SHORT_URL_SLUGS:
            return reverse(f"programme:{self.slug}")
        return reverse("programme:page", kwargs={"slug": self.slug})


class HomePage(models.Model):
    """The words on the home page, edited by staff. There is only ever one."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    heading = models.CharField(_("heading"), max_length=200)
    introduction = FormattedTextField(_("introduction"))
    volunteer_heading = models.CharField(_("volunteer call: heading"), max_length=200)
    volunteer_text = models.TextField(_("volunteer call: text"), max_length=600)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = ContentQuerySet.as_manager()

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home page")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="homepage_is_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Home page"))

    def get_absolute_url(self) -> str:
        return reverse("home")

    @classmethod
    def load(cls) -> "HomePage | None":
        return cls.objects.first()
