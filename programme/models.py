"""The programme's content: strands, writers in residence, partners, pages."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.caching.invalidation import ContentQuerySet, ContentQuerySetMixin
from core.fields import (
    ChoiceArrayField,
    CleanImageField,
    FormattedTextField,
    require_alt_text,
    search_vector_field,
)
from core.publishing import (
    Audience,
    Illustrated,
    Publishable,
    PublishableQuerySet,
    StaffPreviewQuerySetMixin,
)


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
        choices=WriterVisibility,
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
    kind = models.CharField(_("kind"), max_length=10, choices=PartnerKind)
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
