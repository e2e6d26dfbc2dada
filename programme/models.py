"""The programme's content: strands, writers in residence, their writings, partners, pages."""

import datetime
import functools
import operator
import re
from typing import NamedTuple

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import get_language_info, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.caching.invalidation import ContentQuerySet, ContentQuerySetMixin
from core.compiled import TIME_MARK, CompiledQueries, CompiledQuery
from core.fields import (
    ChoiceArrayField,
    CleanImageField,
    FormattedTextField,
    require_alt_text,
    translated_search_vector_field,
)
from core.publishing import (
    Audience,
    Illustrated,
    PublicationStatus,
    Publishable,
    PublishableQuerySet,
    StaffPreviewQuerySetMixin,
    published_q,
)
from core.rows import Row, StoredFile, TranslatedValue, rows_of
from core.translated import every_language
from core.urls import reverse  # remembered: these build every card's link


class StrandQuerySet(PublishableQuerySet):
    NAME_COLUMNS = ("pk", "slug", "order", *every_language("title")[1:])

    def names(self):
        """The strands as plain values (``StrandName``): what a filter offers or a card
        names, without making a model of each."""
        return rows_of(self, self.NAME_COLUMNS, StrandName.of)


class StrandName(Row):
    """A strand as a list names, links and draws it (``Strand.objects.names()``, an event
    card): its pk, slug, order and title."""

    translated_fields = ("title",)
    title = TranslatedValue()

    @classmethod
    def of(cls, row: tuple) -> "StrandName":
        """A row of ``StrandQuerySet.NAME_COLUMNS``, as a name."""
        return cls(dict(zip(StrandQuerySet.NAME_COLUMNS, row, strict=True)))

    def get_absolute_url(self) -> str:
        return Strand.address(self.slug)


class Strand(Illustrated, Publishable):
    """One of the programme's strands (Community Programme, Writer in Residence, Shahrazad)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "The last part of the strand's address (/programme/<slug>/). Filled in from the "
            "title; change it only before publishing, or links people saved stop working."
        ),
    )
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_(
            "One or two sentences, shown on cards and in search results. The body is the "
            "full story on the strand's own page."
        ),
    )
    body = FormattedTextField(
        _("body"), blank=True, help_text=_("The full text of the strand's own page.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first wherever strands are listed.")
    )
    search_vector = translated_search_vector_field(title="A", summary="B", body="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = StrandQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("programme strand")
        verbose_name_plural = _("programme strands")
        indexes = [GinIndex(fields=["search_vector"], name="strand_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.address(self.slug)

    @staticmethod
    def address(slug: str) -> str:
        return reverse("programme:strand", kwargs={"slug": slug})

    @staticmethod
    def published_names(*, now: datetime.datetime | None = None) -> list["StrandName"]:
        """``Strand.objects.published().names()``, by a query compiled once per process
        (core/compiled.py): the events' filters offer these on every calendar page, and
        building the query cost twice what running it did."""
        return [StrandName.of(row) for row in _PUBLISHED_NAMES.rows(now=now or timezone.now())]


_PUBLISHED_NAMES = CompiledQuery(
    lambda now: (
        Strand.objects.published(now=now).rewrite(False).values_list(*StrandQuerySet.NAME_COLUMNS)
    ),
    now=TIME_MARK,
)


class ProjectQuerySet(PublishableQuerySet):
    # What a project card shows (``{% project_card %}``): its title, summary, audiences,
    # picture and address, and its strand's name and drawing.
    CARD_COLUMNS = (
        "slug",
        "audiences",
        "image",
        "image_width",
        "image_height",
        "image_alt",
        *every_language("title")[1:],
        *every_language("summary")[1:],
    )

    def as_cards(self):
        """The projects as cards show them, read as plain values (``ProjectCard``)."""
        own, strand = self.CARD_COLUMNS, StrandQuerySet.NAME_COLUMNS
        columns = (*own, *(f"strand__{column}" for column in strand))

        def card(row: tuple) -> ProjectCard:
            values = dict(zip(own, row[: len(own)], strict=True))
            values["strand"] = StrandName(dict(zip(strand, row[len(own) :], strict=True)))
            return ProjectCard(values)

        return rows_of(self, columns, card)

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
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        allow_unicode=True,
        help_text=_(
            "The last part of the project's address (/programme/<strand>/<slug>/). Filled in "
            "from the title; change it only before publishing, or saved links stop working."
        ),
    )
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_(
            "One or two sentences, shown on cards and in search results. The body is the "
            "full story on the project's own page."
        ),
    )
    body = FormattedTextField(
        _("body"), blank=True, help_text=_("The full text of the project's own page.")
    )
    audiences = ChoiceArrayField(
        models.CharField(max_length=20, choices=Audience.choices),
        verbose_name=_("audiences"),
        default=list,
        blank=True,
        help_text=_("Who it is for. Visitors can look for projects for young people or schools."),
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("When the project began or begins. Leave empty if it has no set dates."),
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for an ongoing project.")
    )
    age_range = models.CharField(
        _("age range"), max_length=100, blank=True, help_text=_("For example: 11–18.")
    )
    cost = models.CharField(
        _("cost"), max_length=100, blank=True, help_text=_("For example: Free, or £5 per session.")
    )
    how_to_take_part = models.TextField(
        _("how to take part"),
        blank=True,
        help_text=_("How to join in: whom to contact, how to book, any deadline."),
    )
    partners = models.ManyToManyField(
        "Partner",
        blank=True,
        related_name="projects",
        verbose_name=_("partners"),
        help_text=_("Shown on the project's page while they are published."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first within the strand.")
    )
    search_vector = translated_search_vector_field(title="A", summary="B", body="C")
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
        return self.address(self.strand.slug, self.slug)

    @staticmethod
    def address(strand_slug: str, slug: str) -> str:
        return reverse("programme:project", kwargs={"strand_slug": strand_slug, "slug": slug})

    @property
    def is_ongoing(self) -> bool:
        return self.end_date is None

    def get_audience_labels(self) -> list[str]:
        return [Audience(value).label for value in self.audiences]


class ProjectCard(Row):
    """A project as its card shows it (``Project.objects.as_cards()``), answering with the
    Project's own code for its address and audiences."""

    translated_fields = ("title", "summary")
    title = TranslatedValue()
    summary = TranslatedValue()
    image = StoredFile(Project)

    address = staticmethod(Project.address)
    get_absolute_url = Project.get_absolute_url
    get_audience_labels = Project.get_audience_labels


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

    def most_recent(self, *, today: datetime.date | None = None):
        """The writer in residence today or, failing that, the last one to leave; never
        the first one ever hosted. None before the first residency."""
        return self.latest_first(today=today).first()

    def latest_first(self, *, today: datetime.date | None = None):
        """Those hosted by `today`, the one in residence (or the last to leave) first."""
        today = today or timezone.localdate()
        return self.filter(residency_start__lte=today).order_by(
            F("residency_end").desc(nulls_first=True), "-residency_start"
        )

    # What a list shows of a writer (``{% writer_feature %}``) and what decides it: their
    # consent and visibility, what they let be shown, their residency and summary.
    FEATURE_COLUMNS = (
        "pk",
        "name",
        "slug",
        "visibility",
        "consent_recorded_on",
        "consent_withdrawn_on",
        "country_of_origin",
        "show_country",
        "show_portrait",
        "portrait",
        "portrait_width",
        "portrait_height",
        "portrait_alt",
        "residency_start",
        "residency_end",
        *every_language("summary")[1:],
    )

    def as_features(self):
        """The writers as a list shows them, read as plain values (``WriterFeature``): a
        strand lists every writer it has hosted, and making each a model cost more than
        the rest of the page. Still a queryset: filter, count, slice and paginate it."""
        return rows_of(
            self,
            self.FEATURE_COLUMNS,
            lambda row: WriterFeature(dict(zip(self.FEATURE_COLUMNS, row, strict=True))),
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
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "The last part of the profile's address (/writers/<slug>/). Filled in from the "
            "name the writer publishes under; never a legal name."
        ),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=WriterVisibility,
        default=WriterVisibility.HIDDEN,
        help_text=_(
            "Who can find the profile. Whatever you choose, nothing is shown until consent "
            "is recorded below."
        ),
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
    country_of_origin = models.CharField(
        _("country of origin"),
        max_length=100,
        blank=True,
        help_text=_("Kept private unless “show country of origin” is ticked."),
    )
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
        _("portrait description (alt text)"),
        max_length=250,
        blank=True,
        help_text=_(
            "Describe the portrait for people who cannot see it. Required with a portrait."
        ),
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
    summary = models.TextField(
        _("summary"),
        max_length=400,
        blank=True,
        help_text=_("One or two sentences, shown on the writers page and in search results."),
    )
    biography = FormattedTextField(
        _("biography"), blank=True, help_text=_("The full biography on the writer's profile.")
    )
    residency_start = models.DateField(
        _("residency start"),
        null=True,
        blank=True,
        help_text=_(
            "The day the residency begins. With the end, it decides whether the writer is "
            "shown as in residence now, coming soon or hosted before."
        ),
    )
    residency_end = models.DateField(
        _("residency end"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the residency goes on."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_vector = translated_search_vector_field(
        untranslated={"name": "A"}, summary="B", biography="C"
    )
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
        return self.address(self.slug)

    @staticmethod
    def address(slug: str) -> str:
        return reverse("programme:writer", kwargs={"slug": slug})

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


class WriterFeature(Row):
    """A writer as a list shows them (``Writer.objects.as_features()``), answering with
    the Writer's own code for everything that decides what is shown (consent, the
    portrait, the country): a rule that reads a field this does not carry fails loudly
    here instead of showing what it should not."""

    translated_fields = ("summary",)
    summary = TranslatedValue()
    portrait = StoredFile(Writer)

    has_consent = Writer.has_consent
    is_listed = Writer.is_listed
    is_reachable = Writer.is_reachable
    public_country = Writer.public_country
    portrait_is_public = Writer.portrait_is_public
    public_portrait = Writer.public_portrait
    residency_state = Writer.residency_state
    address = staticmethod(Writer.address)
    get_absolute_url = Writer.get_absolute_url


class Work(models.Model):
    """A published work by a writer."""

    writer = models.ForeignKey(Writer, on_delete=models.CASCADE, related_name="works")
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("The year it was published.")
    )
    language = models.CharField(
        _("language"),
        max_length=60,
        blank=True,
        help_text=_("The language it was published in, for example Chinese."),
    )
    link = models.URLField(
        _("link"), blank=True, help_text=_("Where visitors can read or buy it (optional).")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )

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
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Who said or wrote it, and where: for example, a review in PEN Journal, 2009."),
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )

    objects = ContentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")

    def __str__(self) -> str:
        return self.text[:60]


# ---------------------------------------------------------------- writings and languages

# A well-formed BCP 47 tag (RFC 5646, section 2.1): language (with extended subtags),
# script, region, variants, extensions, private use. Not the grandfathered irregulars, nor
# the 4-8 letter primary subtags the RFC reserves but no language uses, so a language's
# name typed by mistake ("Persian", "arabic") is refused.
LANGUAGE_TAG = re.compile(
    r"""^(?:
        (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
        (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*
        (?:-x(?:-[a-z0-9]{1,8})+)?
        |x(?:-[a-z0-9]{1,8})+
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Scripts written right to left (ISO 15924), and the languages whose usual script is one of
# them when the tag names none. An explicit script wins: "ku-Arab" is right to left,
# "sd-Deva" left to right.
RTL_SCRIPTS = frozenset(
    {"adlm", "arab", "hebr", "mand", "nkoo", "rohg", "samr", "syrc", "thaa", "yezi"}
)
RTL_LANGUAGES = frozenset(
    {
        "ar", "arc", "arz", "ary", "acm", "apc", "ajp", "aeb", "azb", "bal", "bqi", "ckb",
        "dv", "fa", "glk", "he", "iw", "ji", "khw", "ks", "lrc", "mzn", "nqo", "pnb", "prs",
        "ps", "sd", "skr", "syr", "ug", "ur", "yi",
    }
)  # fmt: skip

# Languages this portal's writers are likely to write in that Django's own list
# (django.conf.locale.LANG_INFO) lacks: (name in English, name in the language itself).
EXTRA_LANGUAGE_NAMES = {
    "am": (_("Amharic"), "አማርኛ"),
    "ckb": (_("Kurdish (Sorani)"), "کوردیی ناوەندی"),
    "kmr": (_("Kurdish (Kurmanji)"), "Kurmancî"),
    "ku": (_("Kurdish"), "Kurdî"),
    "prs": (_("Dari"), "دری"),
    "ps": (_("Pashto"), "پښتو"),
    "so": (_("Somali"), "Soomaali"),
    "ti": (_("Tigrinya"), "ትግርኛ"),
    "tig": (_("Tigre"), "ትግሬ"),
    "yi": (_("Yiddish"), "ייִדיש"),
    "dv": (_("Dhivehi"), "ދިވެހި"),
    "ha": (_("Hausa"), "Hausa"),
    "om": (_("Oromo"), "Afaan Oromoo"),
    "sd": (_("Sindhi"), "سنڌي"),
    "ug": (_("Uyghur"), "ئۇيغۇرچە"),
    "bo": (_("Tibetan"), "བོད་སྐད་"),
    "zh": (_("Chinese"), "中文"),
}

# PostgreSQL's text-search configurations (pg_catalog, PostgreSQL 15 and later) by the
# primary language subtag; every other language is searched word for word ("simple").
# tests/programme/test_writings_search.py checks each exists in the database.
SEARCH_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "no": "norwegian",
    "nb": "norwegian", "nn": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil",
    "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
SIMPLE_SEARCH_CONFIG = "simple"


def normalise_language_tag(tag: str) -> str:
    """A tag in its conventional case: "fa-ir" → "fa-IR", "ZH-HANT" → "zh-Hant"."""
    parts = tag.strip().split("-")
    out = [parts[0].lower()]
    singleton = parts[0].lower() == "x"
    for part in parts[1:]:
        if singleton or len(part) == 1:
            singleton = True  # everything after an extension or private-use singleton
            out.append(part.lower())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) == 2 and part.isalpha():
            out.append(part.upper())
        else:
            out.append(part.lower())
    return "-".join(out)


def validate_language_tag(value: str) -> None:
    if not LANGUAGE_TAG.match(value or ""):
        raise ValidationError(
            _(
                "“%(value)s” is not a language tag. Use a BCP 47 tag such as fa, ar, "
                "zh-Hant or en-GB."
            ),
            code="invalid_language",
            params={"value": value},
        )


def primary_subtag(tag: str) -> str:
    return tag.split("-", maxsplit=1)[0].lower()


def script_subtag(tag: str) -> str | None:
    match = LANGUAGE_TAG.match(tag or "")
    script = match.group("script") if match else None
    return script.lower() if script else None


def text_direction(tag: str) -> str:
    """ "rtl" or "ltr", from the tag's script, or its language's usual script."""
    script = script_subtag(tag)
    if script is not None:
        return "rtl" if script in RTL_SCRIPTS else "ltr"
    return "rtl" if primary_subtag(tag) in RTL_LANGUAGES else "ltr"


def search_config(tag: str) -> str:
    return SEARCH_CONFIGS.get(primary_subtag(tag), SIMPLE_SEARCH_CONFIG)


def _django_language_info(tag: str) -> dict | None:
    lowered = tag.lower()
    for code in (lowered, "-".join(lowered.split("-")[:2]), primary_subtag(tag)):
        try:
            return get_language_info(code)
        except KeyError:
            continue
    return None


def language_names(tag: str) -> tuple[str, str]:
    """(name in the interface's language, name in the language itself); the tag itself
    when neither we nor Django know the language."""
    primary = primary_subtag(tag)
    if primary in EXTRA_LANGUAGE_NAMES and not (primary == "zh" and script_subtag(tag)):
        name, local = EXTRA_LANGUAGE_NAMES[primary]
        return str(name), local
    info = _django_language_info(tag)
    if info is not None:
        return str(info["name_translated"]), info["name_local"]
    return tag, tag


class LanguageTagField(models.CharField):
    """A BCP 47 language tag (any language, not only the interface's), kept in its
    conventional case."""

    default_validators = [validate_language_tag]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 35)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_language_tag(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = normalise_language_tag(value)
            setattr(model_instance, self.attname, value)
        return value


class EveryLanguageMatch(SearchVectorExact):
    """A visitor's words, read in every language writings are stored in.

    Each version's vector is made with its own language's configuration (Arabic words
    stemmed as Arabic), so the site search's one query (made for English) is read again
    with each configuration and the results joined with OR: "كتب" finds an Arabic text
    containing "الكتاب". The query stays a constant, so the GIN index is used.
    """

    def as_sql(self, compiler, connection):
        rhs = self.rhs
        if not isinstance(rhs, SearchQuery) or rhs.invert:
            return super().as_sql(compiler, connection)
        value = rhs.get_source_expressions()[-1]
        search_type = next(
            (name for name, function in SearchQuery.SEARCH_TYPES.items()
             if function == rhs.function),
            "plain",
        )  # fmt: skip
        configs = sorted({*SEARCH_CONFIGS.values(), SIMPLE_SEARCH_CONFIG})
        combined = functools.reduce(
            operator.or_,
            (SearchQuery(value, config=config, search_type=search_type) for config in configs),
        )
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = compiler.compile(combined.resolve_expression(compiler.query))
        return f"{lhs} @@ ({rhs_sql})", (*lhs_params, *rhs_params)


class MultilingualSearchVectorField(SearchVectorField):
    """A tsvector made per row in the row's language; matched in every language."""


MultilingualSearchVectorField.register_lookup(EveryLanguageMatch)


def multilingual_search_vector(language_field: str, **weighted_fields: str):
    """A stored tsvector of `weighted_fields`, each row's words read with its language's
    PostgreSQL configuration (SEARCH_CONFIGS), "simple" for languages without one."""

    def vector(config):
        parts = [
            SearchVector(field, weight=weight, config=config)
            for field, weight in weighted_fields.items()
        ]
        return functools.reduce(operator.add, parts)

    by_config = {}
    for primary, config in SEARCH_CONFIGS.items():
        by_config.setdefault(config, []).append(primary)
    whens = [
        When(
            functools.reduce(
                operator.or_,
                (
                    Q(**{language_field: primary})
                    | Q(**{f"{language_field}__startswith": f"{primary}-"})
                    for primary in primaries
                ),
            ),
            then=vector(config),
        )
        for config, primaries in sorted(by_config.items())
    ]
    return models.GeneratedField(
        expression=Case(*whens, default=vector(SIMPLE_SEARCH_CONFIG)),
        output_field=MultilingualSearchVectorField(),
        db_persist=True,
        editable=False,
    )


class WritingKind(models.TextChoices):
    POEM = "poem", _("Poem")
    ESSAY = "essay", _("Essay")
    STORY = "story", _("Story")
    EXTRACT = "extract", _("Extract")
    LETTER = "letter", _("Letter")
    MEMOIR = "memoir", _("Memoir")
    OTHER = "other", _("Other")


class WritingQuerySet(PublishableQuerySet):
    def with_published_version(self):
        versions = WritingVersion.objects.published().filter(writing=OuterRef("pk"))
        return self.filter(Exists(versions))

    def public(self):
        """What answers to the public at its address: published, with a published
        version, by a writer whose profile is reachable (public or unlisted)."""
        return (
            self.published().with_published_version().filter(writer__in=Writer.objects.reachable())
        )

    def listed(self):
        """What may appear in lists, search, sitemaps and feeds: only listed writers'."""
        return self.public().filter(writer__in=Writer.objects.listed())

    def by_writer(self, writer):
        return self.filter(writer=writer)

    def in_language(self, language: str):
        versions = WritingVersion.objects.published().filter(
            writing=OuterRef("pk"), language=language
        )
        return self.filter(Exists(versions))


class Writing(Publishable):
    """A writer's text (a poem, an essay, an extract), published in its original
    language and any number of translations (its versions)."""

    writer = models.ForeignKey(
        Writer, on_delete=models.CASCADE, related_name="writings", verbose_name=_("writer")
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_(
            "How the site names it in lists, feeds and the admin (usually the English "
            "title). Each version has its own title in its own language."
        ),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "The last part of the writing's address (/writings/<slug>/). Filled in from the "
            "title; change it only before publishing, or saved links stop working."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=WritingKind, default=WritingKind.POEM)
    year = models.PositiveSmallIntegerField(
        _("year written"), null=True, blank=True, help_text=_("Leave empty if it is not known.")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first on the writer’s page.")
    )
    history = HistoricalRecords()

    objects = WritingQuerySet.as_manager()

    class Meta:
        ordering = ["order", "-created_at", "title"]
        verbose_name = _("writing")
        verbose_name_plural = _("writings")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programme:writing", kwargs={"slug": self.slug})


class WritingVersionQuerySet(PublishableQuerySet):
    def public(self):
        """Published versions of writings the public may reach."""
        return self.published().filter(writing__in=Writing.objects.public())

    def listed(self):
        """Published versions of writings that may be listed, searched and indexed."""
        return self.published().filter(writing__in=Writing.objects.listed())


class WritingVersion(Publishable):
    """A writing in one language: the original, or a translation with its credits."""

    writing = models.ForeignKey(
        Writing, on_delete=models.CASCADE, related_name="versions", verbose_name=_("writing")
    )
    language = LanguageTagField(
        _("language"),
        help_text=_(
            "A BCP 47 language tag: fa (Persian), ar (Arabic), ckb (Sorani Kurdish), "
            "zh-Hans (Chinese, simplified), ti (Tigrinya), en (English)…"
        ),
    )
    is_original = models.BooleanField(
        _("original"), default=False, help_text=_("The language the writer wrote it in.")
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(
        _("text"), help_text=_("Plain text. Line breaks and blank lines between stanzas are kept.")
    )
    translator = models.CharField(
        _("translator"), max_length=200, blank=True, help_text=_("Leave empty for the original.")
    )
    bridge_translator = models.CharField(
        _("bridge translator"),
        max_length=200,
        blank=True,
        help_text=_("Who made the literal translation the translator worked from, if anyone."),
    )
    rights_note = models.CharField(
        _("rights and permission"),
        max_length=400,
        blank=True,
        help_text=_(
            "For example: © the author; translation © the translator. Published with permission."
        ),
    )
    # Published by default: a version shows only once its writing is published, so
    # staff publish the writing and keep a version back by making it a draft.
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.PUBLISHED,
        db_index=True,
        help_text=_("A draft version stays off the site even when its writing is published."),
    )
    search_vector = multilingual_search_vector("language", title="A", text="B")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    objects = WritingVersionQuerySet.as_manager()

    class Meta:
        ordering = ["-is_original", "language"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        indexes = [GinIndex(fields=["search_vector"], name="writing_version_search")]
        constraints = [
            models.UniqueConstraint(
                fields=["writing"],
                condition=Q(is_original=True),
                name="writing_has_one_original",
                violation_error_message=_(
                    "A writing has one original; the others are translations."
                ),
            ),
            models.UniqueConstraint(
                fields=["writing", "language"],
                name="writing_version_language_unique",
                violation_error_message=_("This writing already has a version in this language."),
            ),
            models.CheckConstraint(condition=~Q(language=""), name="writing_version_has_language"),
            models.CheckConstraint(
                condition=Q(is_original=False) | (Q(translator="") & Q(bridge_translator="")),
                name="writing_original_has_no_translator",
                violation_error_message=_("The original has no translator."),
            ),
            models.CheckConstraint(
                condition=Q(bridge_translator="") | ~Q(translator=""),
                name="writing_bridge_needs_translator",
                violation_error_message=_(
                    "Name the translator who worked with the bridge translator."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def get_absolute_url(self) -> str:
        """The writing's page showing this version: the original beside its default
        translation, or this translation beside the original."""
        url = self.writing.get_absolute_url()
        return url if self.is_original else f"{url}?with={self.language}"

    def get_anchored_url(self) -> str:
        return f"{self.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self) -> str:
        return f"version-{self.language.lower()}"

    @property
    def direction(self) -> str:
        """ "rtl" for Arabic, Persian, Hebrew, Urdu, Pashto, Sorani…; "ltr" otherwise."""
        return text_direction(self.language)

    @property
    def language_name(self) -> str:
        return language_names(self.language)[0]

    @property
    def language_name_local(self) -> str:
        return language_names(self.language)[1]

    @property
    def search_config(self) -> str:
        return search_config(self.language)


class PartnerKind(models.TextChoices):
    FUNDER = "funder", _("Funder")
    PARTNER = "partner", _("Partner")
    NETWORK = "network", _("Network")

    def heading(self, count: int) -> str:
        """The heading over `count` supporters of this kind ("Funders", "Network")."""
        match self:
            case PartnerKind.FUNDER:
                return ngettext("Funder", "Funders", count)
            case PartnerKind.PARTNER:
                return ngettext("Partner", "Partners", count)
            case _:
                return ngettext("Network", "Networks", count)


class SupporterGroup(NamedTuple):
    """Supporters of one kind, under their heading."""

    kind: str
    heading: str
    partners: list


def group_by_kind(partners) -> list[SupporterGroup]:
    """`partners` (in their own order) under a heading per kind, kinds in PartnerKind's
    order (funders, partners, networks); kinds without a supporter are left out."""
    partners = list(partners)
    groups = []
    for kind in PartnerKind:
        members = [partner for partner in partners if partner.kind == kind]
        if members:
            groups.append(SupporterGroup(kind.value, kind.heading(len(members)), members))
    return groups


class Partner(Publishable):
    """A funder, partner or network that supports the programme."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=PartnerKind,
        help_text=_("Supporters are listed under a heading per kind: funders, partners, networks."),
    )
    url = models.URLField(_("website"), blank=True, help_text=_("Their website (optional)."))
    description = models.TextField(
        _("description"),
        max_length=400,
        blank=True,
        help_text=_("A sentence or two on how they support the programme."),
    )
    logo = CleanImageField(
        _("logo"),
        upload_to="partners/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
        help_text=_(
            "Optional; shown on the supporters page. Its description for screen readers "
            "is the partner's name."
        ),
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first under their heading.")
    )
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
    SHORT_URL_SLUGS = ("about", "privacy", "accessibility")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_(
            "The last part of the page's address (/pages/<slug>/); about, privacy, "
            "accessibility and contact have short addresses (/about/). Change it only before "
            "publishing, or saved links stop working."
        ),
    )
    summary = models.TextField(
        _("summary"),
        max_length=400,
        blank=True,
        help_text=_(
            "One or two sentences: the page's description in search results and when shared."
        ),
    )
    body = FormattedTextField(_("body"), blank=True, help_text=_("The text of the page."))
    version = models.CharField(
        _("version"),
        max_length=40,
        blank=True,
        help_text=_(
            "For notices such as the privacy notice: change it whenever the text changes "
            "materially. Volunteers' consent records the version they agreed to."
        ),
    )
    search_vector = translated_search_vector_field(title="A", summary="B", body="C")
    history = HistoricalRecords(excluded_fields=["search_vector"])

    class Meta:
        ordering = ["title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        indexes = [GinIndex(fields=["search_vector"], name="page_search")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.address(self.slug)

    @classmethod
    def address(cls, slug: str) -> str:
        """The address of the page with `slug` (the menus have the slug, not the page)."""
        if slug == "contact":  # its text heads the contact form (volunteers app)
            return reverse("contact:form")
        if slug in cls.SHORT_URL_SLUGS:
            return reverse(f"programme:{slug}")
        return reverse("programme:page", kwargs={"slug": slug})


class HomePage(models.Model):
    """The words on the home page, edited by staff. There is only ever one."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    heading = models.CharField(
        _("heading"), max_length=200, help_text=_("The large heading at the top of the home page.")
    )
    introduction = FormattedTextField(
        _("introduction"), help_text=_("The first paragraphs visitors read on the home page.")
    )
    volunteer_heading = models.CharField(
        _("volunteer call: heading"),
        max_length=200,
        help_text=_("The heading of the box asking visitors to volunteer."),
    )
    volunteer_text = models.TextField(
        _("volunteer call: text"),
        max_length=600,
        help_text=_("A few sentences under it; the button to the volunteering page follows."),
    )
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
        return next(iter(_HOME_PAGE()[:1]), None)


# ---------------------------------------------------------- public lists (issue 17)
# What the home, programme, strand and writers pages list, by queries built and compiled
# once per process (core/compiled.py): building and compiling each took more time than
# running it. Each is lazy: count it, slice it, paginate it, or read it in a template.

_HOME_PAGE = CompiledQueries(lambda: HomePage.objects.order_by("pk"))
_STRANDS = CompiledQueries(lambda *, now: Strand.objects.published(now=now))
_PARTNERS = CompiledQueries(lambda *, now: Partner.objects.published(now=now))


def published_strands(*, now: datetime.datetime | None = None):
    """``Strand.objects.published()``, in the programme's order."""
    return _STRANDS(now=now or timezone.now())


def published_partners(*, now: datetime.datetime | None = None):
    """``Partner.objects.published()``, in their order."""
    return _PARTNERS(now=now or timezone.now())


def _projects(*, now, strand=None, cards=False):
    projects = Project.objects.published(now=now)
    if strand is not None:
        projects = projects.filter(strand_id=strand)
    return projects.as_cards() if cards else projects.select_related("strand")


_PROJECTS = CompiledQueries(_projects)


def published_projects(
    *, now: datetime.datetime | None = None, strand: int | None = None, cards: bool = False
):
    """The published projects, with their strands, or of one strand (its key); as cards
    show them with ``cards=True`` (``ProjectQuerySet.as_cards``)."""
    return _PROJECTS(now=now or timezone.now(), strand=strand, cards=cards)


def _writers(*, today, strand=None, current=False, latest=False):
    writers = Writer.objects.listed()
    if strand is not None:
        writers = writers.filter(strand_id=strand)
    if current:
        return writers.current(today=today)
    if latest:
        return writers.latest_first(today=today)
    return writers.in_residency_order(today=today).as_features()


_WRITERS = CompiledQueries(_writers)


def listed_writers(
    *,
    today: datetime.date | None = None,
    strand: int | None = None,
    current: bool = False,
    latest: bool = False,
):
    """The writers who may be listed (``WriterQuerySet.listed``: consented, public), or
    those of one strand (its key): in residency order as lists show them
    (``as_features``); or, as models, those in residence `today` (``current=True``) or
    the hosted ones, the latest first (``latest=True``: ``latest_first``)."""
    return _WRITERS(
        today=today or timezone.localdate(), strand=strand, current=current, latest=latest
    )


# ---------------------------------------------------------------- menus (issue 13)


class MenuPlace(models.TextChoices):
    HEADER = "header", _("Header: the main navigation at the top of every page")
    FOOTER = "footer", _("Footer: a group of links with a heading, at the foot of every page")


class SiteSection(models.TextChoices):
    """The site's own sections a menu can link to, by the name of their address (reversed
    when the menu is shown). The labels are what the link says unless staff give one."""

    HOME = "home", _("Home")
    PROGRAMME = "programme:strands", _("Programme")
    WRITERS = "programme:writers", _("Writers")
    WRITINGS = "programme:writings", _("Writings")
    EVENTS = "events:list", _("Events")
    PAST_EVENTS = "events:past", _("Past events")
    CALENDAR = "events:calendar", _("Calendar")
    VOLUNTEER = "volunteers:index", _("Volunteer")
    ABOUT = "programme:about", _("About")
    CONTACT = "contact:form", _("Contact")
    SUPPORTERS = "programme:supporters", _("Our supporters")
    PRIVACY = "programme:privacy", _("Privacy notice")
    ACCESSIBILITY = "programme:accessibility", _("Accessibility statement")
    SEARCH = "programme:search", _("Search")


# Where a section's address is found while its own name is not there yet (the contact
# form moves to contact:form; until it does, the contact page answers).
def section_url(name: str) -> str | None:
    """The address of section `name` in the active language; None when it does not
    resolve (the link is left out, never an error)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def menu_target_url(
    *,
    page_slug: str | None,
    strand_slug: str | None,
    project_slugs: tuple[str, str] | None,
    section: str,
    url: str,
) -> str | None:
    """Where a menu link goes, from its target's slugs (an item, or a row of the menus'
    query: programme/menus.py); None for a section whose address is gone."""
    if page_slug is not None:
        return Page.address(page_slug)
    if strand_slug is not None:
        return Strand.address(strand_slug)
    if project_slugs is not None:
        return Project.address(*project_slugs)
    if section:
        return section_url(section)
    return url or None


class MenuQuerySet(ContentQuerySetMixin, models.QuerySet):
    def in_site_order(self):
        """The header first, then the footer's groups in their order."""
        return self.order_by("-place", "order", "pk")  # "header" sorts after "footer"


class Menu(models.Model):
    """A place on every page that holds links staff choose: the header's navigation, or
    one group of links in the footer with its heading."""

    place = models.CharField(
        _("place"),
        max_length=10,
        choices=MenuPlace,
        default=MenuPlace.FOOTER,
        help_text=_(
            "The header menu is the row of links at the top of every page (there is one). "
            "Each footer menu is a column of links under its own heading."
        ),
    )
    heading = models.CharField(
        _("heading"),
        max_length=100,
        blank=True,
        help_text=_(
            "Shown above the links in the footer, for example “About this site”. "
            "Not shown for the header menu."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("For footer menus: lower numbers come first, from the start of the line."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()

    objects = MenuQuerySet.as_manager()

    class Meta:
        ordering = ["-place", "order", "pk"]
        verbose_name = _("menu")
        verbose_name_plural = _("menus")
        constraints = [
            models.UniqueConstraint(
                fields=["place"],
                condition=Q(place=MenuPlace.HEADER),
                name="menu_one_header",
                violation_error_message=_(
                    "There is already a header menu: add your links to it instead."
                ),
            ),
        ]

    def __str__(self) -> str:
        if self.place == MenuPlace.HEADER:
            return str(_("Header menu"))
        return str(_("Footer: %(heading)s") % {"heading": self.heading or "…"})

    def clean(self):
        super().clean()
        if self.place == MenuPlace.FOOTER and not (self.heading or "").strip():
            raise ValidationError(
                {"heading": _("Give this footer menu a heading: it is shown above its links.")}
            )


# What an item links to: exactly one of these is filled in.
MENU_TARGETS = ("page", "strand", "project", "section", "url")


def _only(target: str) -> Q:
    """Q for "the item links to `target` and nothing else"."""
    empty = {
        "page": Q(page__isnull=True),
        "strand": Q(strand__isnull=True),
        "project": Q(project__isnull=True),
        "section": Q(section=""),
        "url": Q(url=""),
    }
    filled = {name: ~condition for name, condition in empty.items()}
    return functools.reduce(
        operator.and_,
        (filled[name] if name == target else empty[name] for name in MENU_TARGETS),
    )


def https_only(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(
            _("Give the full web address, starting with https:// (for example "
              "https://www.icorn.org/)."),
            code="https",
        )  # fmt: skip


class MenuItemQuerySet(ContentQuerySetMixin, models.QuerySet):
    def shown(self, *, now: datetime.datetime | None = None):
        """Items visitors see: links to a section or a web address, and links to a page,
        strand or project the public may reach (published; a project's strand too)."""
        now = now or timezone.now()
        return self.filter(
            Q(page__isnull=True) | published_q(Page, now=now, through="page__"),
            Q(strand__isnull=True) | published_q(Strand, now=now, through="strand__"),
            Q(project__isnull=True)
            | (
                published_q(Project, now=now, through="project__")
                & published_q(Strand, now=now, through="project__strand__")
            ),
        )

    def in_menu_order(self):
        """In the site's order: the header first, then the footer's groups, each in its
        own order."""
        return self.order_by("-menu__place", "menu__order", "menu__pk", "order", "pk")


class MenuItem(models.Model):
    """One link in a menu: to a page, a strand, a project, a section of the site, or
    another website."""

    menu = models.ForeignKey(
        Menu, on_delete=models.CASCADE, related_name="items", verbose_name=_("menu")
    )
    order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    label = models.CharField(
        _("label"),
        max_length=60,
        blank=True,
        help_text=_(
            "The words of the link. Leave empty to use the page’s, strand’s, project’s or "
            "section’s own title. Keep it short: one or two words fit the header best."
        ),
    )
    page = models.ForeignKey(
        Page,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="menu_items",
        verbose_name=_("page"),
        help_text=_("A page staff wrote. The link shows only while the page is published."),
    )
    strand = models.ForeignKey(
        Strand,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="menu_items",
        verbose_name=_("programme strand"),
        help_text=_("The link shows only while the strand is published."),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="menu_items",
        verbose_name=_("project"),
        help_text=_("The link shows only while the project and its strand are published."),
    )
    section = models.CharField(
        _("section of the site"),
        max_length=40,
        choices=SiteSection,
        blank=True,
        help_text=_("One of the site’s own pages, such as Events or Volunteer."),
    )
    url = models.URLField(
        _("other website"),
        max_length=500,
        blank=True,
        validators=[https_only],
        help_text=_("A full address starting with https://. Give the link a label too."),
    )
    history = HistoricalRecords()

    objects = MenuItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(
                condition=functools.reduce(operator.or_, map(_only, MENU_TARGETS)),
                name="menu_item_has_one_target",
                violation_error_message=_(
                    "Choose where the link goes: one page, strand, project, section of the "
                    "site or other website."
                ),
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__istartswith="https://"),
                name="menu_item_url_is_https",
                violation_error_message=_("A link to another website must start with https://."),
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.target_title or gettext("(no link yet)")

    @property
    def targets(self) -> list[str]:
        """The names of the targets filled in (one, when the item is valid)."""
        return [
            name
            for name in MENU_TARGETS
            if (getattr(self, f"{name}_id") if name in {"page", "strand", "project"}
                else getattr(self, name))
        ]  # fmt: skip

    @property
    def target_title(self) -> str:
        """The target's own title (the label when staff give none)."""
        if self.page_id:
            return self.page.title
        if self.strand_id:
            return self.strand.title
        if self.project_id:
            return self.project.title
        if self.section:
            return str(SiteSection(self.section).label)
        return ""

    def target_url(self) -> str | None:
        """Where the link goes, in the active language; None when that cannot be said
        (a section whose address is gone)."""
        return menu_target_url(
            page_slug=self.page.slug if self.page_id else None,
            strand_slug=self.strand.slug if self.strand_id else None,
            project_slugs=(self.project.strand.slug, self.project.slug)
            if self.project_id
            else None,
            section=self.section,
            url=self.url,
        )

    def clean(self):
        super().clean()
        targets = self.targets
        if len(targets) > 1:
            message = _(
                "Choose only one place for the link to go; empty the others (you chose %(count)d)."
            ) % {"count": len(targets)}
            raise ValidationError(dict.fromkeys(targets, message))
        if targets == ["url"] and not (self.label or "").strip():
            raise ValidationError(
                {"label": _("Give a link to another website a label: it has no title here.")}
            )
