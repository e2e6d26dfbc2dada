"""Volunteering: the roles staff offer, the applications people send, and their emails.

An application holds personal data, so its ``__str__`` never shows any: the
admin's change history (``LogEntry.object_repr``) and any log line that prints
an application names it by number only.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.caching.invalidation import ContentQuerySetMixin
from core.fields import ChoiceArrayField
from programme.models import Strand


class VolunteerRoleQuerySet(ContentQuerySetMixin, models.QuerySet):
    def current(self):
        """Roles people can apply for now."""
        return self.filter(is_active=True)


class VolunteerRole(models.Model):
    """A way to help: event steward, mentor for young writers, translator…"""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), max_length=1000)
    strand = models.ForeignKey(
        Strand,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteer_roles",
        verbose_name=_("strand"),
        help_text=_("Leave empty for roles that help the whole programme, such as office help."),
    )
    time_commitment = models.CharField(
        _("time commitment"),
        max_length=200,
        help_text=_("For example: a few evenings a year, or two hours a week in term time."),
    )
    needs_dbs_check = models.BooleanField(
        _("needs a DBS check"),
        default=False,
        help_text=_("Tick for roles that work with children or young people."),
    )
    is_active = models.BooleanField(
        _("open to applications"),
        default=True,
        help_text=_("Untick to take the role off the website without losing past applications."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    objects = VolunteerRoleQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("volunteer role")
        verbose_name_plural = _("volunteer roles")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("volunteers:index") + f"#role-{self.slug}"


class Availability(models.TextChoices):
    WEEKDAY_DAYTIMES = "weekday-daytimes", _("Weekday daytimes")
    WEEKDAY_EVENINGS = "weekday-evenings", _("Weekday evenings")
    WEEKENDS = "weekends", _("Weekends")


class DBSCheck(models.TextChoices):
    """Whether the applicant holds a current DBS check. Never the certificate itself."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_SURE = "not-sure", _("Not sure")


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VolunteerApplicationQuerySet(models.QuerySet):
    def confirmed(self):
        """Applications whose email address has been confirmed: the ones coordinators see."""
        return self.filter(email_confirmed_at__isnull=False)

    def awaiting(self):
        """Confirmed and not yet acted on."""
        return self.confirmed().filter(status=ApplicationStatus.NEW)

    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def with_dbs_flag(self):
        """Annotate ``needs_dbs_flag``: a chosen role needs a check the applicant lacks."""
        needs_check = VolunteerApplication.roles.through.objects.filter(
            volunteerapplication=OuterRef("pk"), volunteerrole__needs_dbs_check=True
        )
        return self.annotate(
            needs_dbs_flag=Exists(needs_check) & ~Q(dbs_check=DBSCheck.YES),
        )


class VolunteerApplication(models.Model):
    """Someone offering their time. Personal data: erased on withdrawal, purged on schedule."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    submission_key = models.UUIDField(
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="One per rendered form, so a double-clicked submit saves once.",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    area = models.CharField(_("area or postcode district"), max_length=100)
    roles = models.ManyToManyField(
        VolunteerRole, related_name="applications", verbose_name=_("roles of interest")
    )
    languages = ArrayField(
        models.CharField(max_length=60),
        verbose_name=_("languages spoken"),
        default=list,
        blank=True,
    )
    availability = ChoiceArrayField(
        models.CharField(max_length=20, choices=Availability),
        verbose_name=_("availability"),
        default=list,
        blank=True,
    )
    message = models.TextField(_("experience or message"), max_length=2000, blank=True)
    # Asked only when a chosen role needs a check; empty when none did.
    dbs_check = models.CharField(
        _("holds a current DBS check"), max_length=10, choices=DBSCheck, blank=True
    )
    is_adult = models.BooleanField(_("confirmed 18 or over"), default=False)
    consent_given_at = models.DateTimeField(_("consent given at"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=40)
    news_opt_in = models.BooleanField(_("wants news"), default=False)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus,
        default=ApplicationStatus.NEW,
        db_index=True,
    )
    status_changed_at = models.DateTimeField(_("status changed"), auto_now_add=True)
    email_confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = VolunteerApplicationQuerySet.as_manager()
    # Who changed what; erased with the application (services.volunteer_application_erase).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="volunteer_application_email_unique"),
            models.CheckConstraint(condition=Q(is_adult=True), name="volunteer_is_adult"),
        ]

    def __str__(self) -> str:
        # Never personal data: this string is copied into the admin's history.
        return str(_("Application #%(number)s") % {"number": self.pk})

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None


class Note(models.Model):
    """A coordinator's note on an application; erased with it."""

    application = models.ForeignKey(
        VolunteerApplication,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("application"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return str(_("Note #%(number)s") % {"number": self.pk})


class QueuedEmailQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)


class QueuedEmail(models.Model):
    """An email waiting to go. Saved with the data that causes it, so none is lost.

    Rows are deleted once sent (their bodies are personal data) and with the
    application they belong to.
    """

    application = models.ForeignKey(
        VolunteerApplication,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="queued_emails",
    )
    contact_message = models.ForeignKey(
        "ContactMessage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="queued_emails",
    )
    kind = models.CharField(max_length=40)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(
        max_length=200, blank=True, help_text="The exception's class only: never its message."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QueuedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("queued email")
        verbose_name_plural = _("queued emails")

    def __str__(self) -> str:
        return f"{self.kind} email #{self.pk}"


class ContactMessageQuerySet(models.QuerySet):
    def unhandled(self):
        return self.filter(handled_at__isnull=True)

    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())

    def expired(self, *, before):
        """Handled before ``before``, or never handled and received before it."""
        return self.filter(
            Q(handled_at__lt=before) | Q(handled_at__isnull=True, created_at__lt=before)
        )


class ContactMessage(models.Model):
    """A message sent through the contact page. Personal data: purged on the volunteers'
    schedule, exported and erased with the rest of a person's data. Like an application,
    its ``__str__`` never shows any."""

    submission_key = models.UUIDField(
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="One per rendered form, so a double-clicked send saves once.",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=4000)
    language = models.CharField(_("language of the page"), max_length=10, blank=True)
    consent_given_at = models.DateTimeField(_("consent given at"))
    privacy_notice_version = models.CharField(_("privacy notice version"), max_length=40)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True, db_index=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")

    def __str__(self) -> str:
        # Never personal data: this string is copied into the admin's history.
        return str(_("Message #%(number)s") % {"number": self.pk})

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


class PurgedApplicationCount(models.Model):
    """What is left of applications once purged or erased: anonymous counts by day and reason."""

    class Reason(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Never confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ERASED = "erased", _("Erased on request")

    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["-day", "reason"]
        verbose_name = _("purged application count")
        verbose_name_plural = _("purged application counts")
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="purged_count_unique_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}: {self.count}"
