"""What happens when someone applies, confirms, withdraws, or their data expires.

Every write that has a side effect lives here, in a named keyword-only
function. Emails are saved to ``QueuedEmail`` in the same transaction as the
data that causes them and sent only after it commits, so a mail server that
is down loses nothing: ``manage.py send_volunteer_emails`` retries.

Log lines name applications and emails by number only: never a name, an
address or a message (and never an exception's text, which can quote one).
"""

import datetime
import hashlib
import hmac
import logging
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_variables

from core import ratelimit
from core.ratelimit import delete_expired_counters
from volunteers import tokens
from volunteers.models import (
    ApplicationStatus,
    ContactMessage,
    Note,
    PurgedApplicationCount,
    QueuedEmail,
    VolunteerApplication,
    VolunteerRole,
)

logger = logging.getLogger(__name__)

COORDINATOR_GROUP = "Volunteer coordinator"


# ---------------------------------------------------------------- emails
def _links(application: VolunteerApplication, site_url: str) -> dict[str, str]:
    confirm = tokens.make_link_token(application.public_id, tokens.CONFIRM)
    withdraw = tokens.make_link_token(application.public_id, tokens.WITHDRAW)
    return {
        "confirm_url": site_url + reverse("volunteers:confirm", kwargs={"token": confirm}),
        "withdraw_url": site_url + reverse("volunteers:withdraw", kwargs={"token": withdraw}),
    }


def queue_email(
    *,
    kind: str,
    to: list[str],
    context: dict,
    application: VolunteerApplication | None = None,
    contact_message: ContactMessage | None = None,
) -> QueuedEmail:
    """Render ``volunteers/email/<kind>.txt`` and ``.html`` (and ``_subject.txt``) and queue it."""
    context = {"portal": settings.PORTAL, **context}
    subject = render_to_string(f"volunteers/email/{kind}_subject.txt", context)
    return QueuedEmail.objects.create(
        application=application,
        contact_message=contact_message,
        kind=kind,
        to=to,
        subject=" ".join(subject.split()),
        text_body=render_to_string(f"volunteers/email/{kind}.txt", context),
        html_body=render_to_string(f"volunteers/email/{kind}.html", context),
    )


def send_queued_emails(*, ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Try every unsent email (or just ``ids``); return (sent, failed).

    Each email is locked while it is tried, so a cron run and a request never
    send the same one twice. A sent email's row is deleted: its body is
    personal data we no longer need. A failure leaves it queued for next time.
    """
    pending = QueuedEmail.objects.unsent()
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    sent = failed = 0
    for email_id in pending.values_list("pk", flat=True):
        with transaction.atomic():
            email = (
                QueuedEmail.objects.select_for_update(skip_locked=True)
                .unsent()
                .filter(pk=email_id)
                .first()
            )
            if email is None:  # sent or locked by someone else meanwhile
                continue
            message = EmailMultiAlternatives(
                subject=email.subject,
                body=email.text_body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=email.to,
            )
            if email.html_body:
                message.attach_alternative(email.html_body, "text/html")
            email.attempts += 1
            email.last_attempt_at = timezone.now()
            try:
                message.send(using="default")
            except Exception as error:  # any failure at all: keep it queued and say which kind
                email.last_error = type(error).__name__
                email.save(update_fields=["attempts", "last_attempt_at", "last_error"])
                failed += 1
                logger.warning(
                    "Email #%s (%s) not sent after %s attempt(s): %s. It stays queued.",
                    email.pk,
                    email.kind,
                    email.attempts,
                    type(error).__name__,
                )
            else:
                logger.info("Email #%s (%s) sent.", email.pk, email.kind)
                email.delete()
                sent += 1
    return sent, failed


def _send_after_commit(ids: list[int]) -> None:
    def send():
        try:
            send_queued_emails(ids=ids)
        except Exception as error:  # never turn a saved application into an error page
            logger.warning("Queued emails %s not sent yet: %s.", ids, type(error).__name__)

    transaction.on_commit(send)


def coordinator_addresses() -> list[str]:
    configured = settings.VOLUNTEERS["COORDINATOR_EMAILS"]
    if configured:
        return list(configured)
    return sorted(
        get_user_model()
        .objects.filter(groups__name=COORDINATOR_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


# ---------------------------------------------------------------- per-address limits
# An address typed into a form may be anyone's, so what a form sends to an address it
# already knows ("you have applied", "Send it again") is limited per address, whichever
# networks ask: a rate limit per network alone lets many networks flood one inbox.
ALREADY_APPLIED_LIMIT = 3
ALREADY_APPLIED_WINDOW = 24 * 60 * 60


def address_rate_limit(*, email: str, scope: str, limit: int, window: int):
    """Count one email caused to `email`; say whether it is within `limit` per `window`.

    The shared counter of core/ratelimit.py, keyed by a keyed hash of the address (any
    letter case), so no address is stored.
    """
    now = time.time()
    digest = hmac.new(
        settings.SECRET_KEY.encode(), email.strip().lower().encode(), hashlib.sha256
    ).hexdigest()[:32]
    key = f"{ratelimit.KEY_PREFIX}:{scope}:address:{int(now // window)}:{digest}"
    count = ratelimit.increment(key, window)
    return ratelimit.RateLimitResult(
        allowed=count <= limit, count=count, retry_after=window - int(now % window)
    )


# ---------------------------------------------------------------- applying
@sensitive_variables("data")
def volunteer_application_submit(
    *,
    data: dict,
    roles: Iterable[VolunteerRole],
    submission_key,
    privacy_notice_version: str,
    site_url: str,
) -> VolunteerApplication | None:
    """Save an application (or recognise a repeat) and queue the email that answers it.

    Returns the new application, or None when nothing new was saved: the same
    form sent twice, or an address that has applied before. The visitor sees
    the same thanks page either way, so nothing is disclosed; the email tells
    a returning applicant how to confirm or withdraw.
    """
    email_address = data["email"]
    try:
        with transaction.atomic():
            # One submission per address at a time: a double click waits for the first.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(hashtext(%s))",
                    ["volunteer-application:" + email_address.lower()],
                )
            if VolunteerApplication.objects.filter(submission_key=submission_key).exists():
                logger.info("A volunteer form was sent twice; the second was ignored.")
                return None
            existing = VolunteerApplication.objects.with_email(email_address).first()
            if existing is not None:
                existing.submission_key = submission_key
                existing.save(update_fields=["submission_key", "updated_at"])
                logger.info("Application #%s: the same address applied again.", existing.pk)
                if not address_rate_limit(
                    email=email_address,
                    scope="volunteer-already-applied",
                    limit=ALREADY_APPLIED_LIMIT,
                    window=ALREADY_APPLIED_WINDOW,
                ).allowed:
                    logger.info("Application #%s: not emailed again so soon.", existing.pk)
                    return None
                queued = queue_email(
                    kind="already_applied",
                    to=[existing.email],
                    application=existing,
                    context={"application": existing, **_links(existing, site_url)},
                )
                _send_after_commit([queued.pk])
                return None
            application = VolunteerApplication.objects.create(
                submission_key=submission_key,
                name=data["name"],
                email=email_address,
                phone=data.get("phone", ""),
                area=data["area"],
                languages=data.get("languages", []),
                availability=data.get("availability", []),
                message=data.get("message", ""),
                dbs_check=data["dbs_check"],
                is_adult=True,
                consent_given_at=timezone.now(),
                privacy_notice_version=privacy_notice_version,
                news_opt_in=data.get("news_opt_in", False),
            )
            application.roles.set(roles)
            queued = queue_email(
                kind="confirm",
                to=[application.email],
                application=application,
                context={"application": application, **_links(application, site_url)},
            )
            logger.info("Application #%s received.", application.pk)
            _send_after_commit([queued.pk])
            return application
    except IntegrityError:
        # A race the lock could not see (the same form, another address): nothing new saved.
        logger.info("A volunteer form collided with an earlier submission; nothing new saved.")
        return None


def volunteer_application_made_by(*, submission_key) -> VolunteerApplication | None:
    """The application this form (its ticket's key) created, if it still exists.

    For the second of a double click, whose thanks page must still offer "Start again".
    Only an application *created* by the key counts: a returning address's earlier
    application is given the key too (volunteer_application_submit), and must never be
    withdrawn by whoever typed that address.
    """
    created = VolunteerApplication.history.filter(
        history_type="+", submission_key=submission_key
    ).values_list("id", flat=True)
    return VolunteerApplication.objects.filter(
        pk__in=created, submission_key=submission_key
    ).first()


def volunteer_application_send_again(*, email: str, site_url: str) -> bool:
    """ "Send it again" on the thanks page: queue the answer to this address once more.

    The email a new form would have brought: the confirmation link while the address is
    unconfirmed, else the "you have already applied" email. A copy still waiting in the
    outbox (mail down) is replaced, not doubled. False if nothing is held for the address
    (the page says the same either way). Rate limited by the view.
    """
    with transaction.atomic():
        application = VolunteerApplication.objects.with_email(email).select_for_update().first()
        if application is None:
            return False
        kind = "already_applied" if application.is_confirmed else "confirm"
        application.queued_emails.unsent().filter(kind=kind).delete()
        queued = queue_email(
            kind=kind,
            to=[application.email],
            application=application,
            context={"application": application, **_links(application, site_url)},
        )
        logger.info("Application #%s: the %s email was asked for again.", application.pk, kind)
        _send_after_commit([queued.pk])
    return True


def volunteer_application_start_again(*, public_id) -> bool:
    """ "Wrong address? Start again": withdraw the application just sent, if still unconfirmed.

    It was sent to an address that may not be the person's, so it is erased (its queued
    emails with it: a confirmation still in the outbox never goes) and the person fills the
    form in again with the right one. A confirmed application is never touched: the
    address was right after all. True if one was erased.
    """
    applications = VolunteerApplication.objects.filter(
        public_id=public_id, email_confirmed_at__isnull=True
    )
    return bool(
        volunteer_application_erase(
            applications=list(applications), reason=PurgedApplicationCount.Reason.WITHDRAWN
        )
    )


def volunteer_application_confirm(
    *, application: VolunteerApplication, site_url: str, admin_url: str
) -> bool:
    """Mark the address confirmed and tell the coordinators. False if it already was."""
    with transaction.atomic():
        application = VolunteerApplication.objects.select_for_update().get(pk=application.pk)
        if application.email_confirmed_at is not None:
            return False
        application.email_confirmed_at = timezone.now()
        application.save(update_fields=["email_confirmed_at", "updated_at"])
        recipients = coordinator_addresses()
        if recipients:
            # No personal data in this email: coordinators read the application in admin.
            # In the staff's language (the admin's), whichever page the volunteer confirmed on.
            with translation.override(settings.LANGUAGE_CODE):
                queued = queue_email(
                    kind="coordinator_notification",
                    to=recipients,
                    application=application,
                    context={
                        "application_number": application.pk,
                        "admin_url": site_url + admin_url,
                    },
                )
            _send_after_commit([queued.pk])
        else:
            logger.warning("No volunteer coordinator has an email address to notify.")
        logger.info("Application #%s confirmed.", application.pk)
    return True


def volunteer_application_set_status(
    *, applications: Iterable[VolunteerApplication], status: str
) -> int:
    now = timezone.now()
    ids = [application.pk for application in applications]
    return (
        VolunteerApplication.objects.filter(pk__in=ids)
        .exclude(status=status)
        .update(status=status, status_changed_at=now, updated_at=now)
    )


# ---------------------------------------------------------------- privacy
def _count_purged(reason: str, count: int) -> None:
    if not count:
        return
    record, _ = PurgedApplicationCount.objects.get_or_create(
        day=timezone.localdate(), reason=reason
    )
    PurgedApplicationCount.objects.filter(pk=record.pk).update(count=F("count") + count)


def volunteer_application_erase(
    *, applications: Iterable[VolunteerApplication], reason: str
) -> int:
    """Delete applications and every copy of their data; keep only an anonymous count.

    Reaches the notes and queued emails (deleted with the application), the
    audit history's copies (deleted), and the admin's change history, whose
    entries stay (who did what, when) with the object's description and
    change message blanked.
    """
    ids = [application.pk for application in applications]
    if not ids:
        return 0
    with transaction.atomic():
        note_ids = list(Note.objects.filter(application_id__in=ids).values_list("pk", flat=True))
        erased = gettext("(erased)")
        for model, object_ids in ((VolunteerApplication, ids), (Note, note_ids)):
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in object_ids],
            ).update(object_repr=erased, change_message="")
        count = VolunteerApplication.objects.filter(pk__in=ids).count()
        VolunteerApplication.objects.filter(pk__in=ids).delete()
        # The audit history holds full copies of the application: erase them too.
        VolunteerApplication.history.filter(id__in=ids).delete()
        _count_purged(reason, count)
    logger.info("Erased %s volunteer application(s) (%s).", count, reason)
    return count


def subject_access_export(*, application: VolunteerApplication) -> dict:
    """Everything we hold about one person, as plain data (for a subject access request)."""
    return {
        "application": {
            "reference": application.pk,
            "name": application.name,
            "email": application.email,
            "phone": application.phone,
            "area": application.area,
            "roles": [role.title for role in application.roles.all()],
            "languages": application.languages,
            "availability": application.availability,
            "message": application.message,
            "holds_current_dbs_check": application.dbs_check,
            "confirmed_18_or_over": application.is_adult,
            "consent_given_at": application.consent_given_at.isoformat(),
            "privacy_notice_version": application.privacy_notice_version,
            "news_opt_in": application.news_opt_in,
            "status": application.status,
            "status_changed_at": application.status_changed_at.isoformat(),
            "email_confirmed_at": (
                application.email_confirmed_at.isoformat()
                if application.email_confirmed_at
                else None
            ),
            "created_at": application.created_at.isoformat(),
        },
        "notes": [
            {"written_at": note.created_at.isoformat(), "text": note.text}
            for note in application.notes.all()
        ],
        "queued_emails": [
            {"subject": email.subject, "created_at": email.created_at.isoformat()}
            for email in application.queued_emails.all()
        ],
        "admin_history": [
            {
                "at": entry.action_time.isoformat(),
                "action": entry.get_action_flag_display(),
                "change": entry.get_change_message(),
            }
            for entry in LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(VolunteerApplication),
                object_id=str(application.pk),
            ).order_by("action_time")
        ],
    }


def purge_volunteer_data(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what we no longer need to keep (run daily; see README, "Volunteer data")."""
    now = now or timezone.now()
    retention = settings.VOLUNTEERS
    unconfirmed_before = now - datetime.timedelta(days=retention["UNCONFIRMED_DAYS"])
    closed_before = now - datetime.timedelta(days=retention["CLOSED_RETENTION_DAYS"])
    applications = VolunteerApplication.objects.all()
    reasons = PurgedApplicationCount.Reason
    counts = {
        reasons.UNCONFIRMED: volunteer_application_erase(
            applications=applications.filter(
                email_confirmed_at__isnull=True, created_at__lt=unconfirmed_before
            ),
            reason=reasons.UNCONFIRMED,
        ),
    }
    for status, reason in (
        (ApplicationStatus.DECLINED, reasons.DECLINED),
        (ApplicationStatus.WITHDRAWN, reasons.WITHDRAWN),
    ):
        counts[reason] = volunteer_application_erase(
            applications=applications.filter(status=status, status_changed_at__lt=closed_before),
            reason=reason,
        )
    counts["contact messages"] = contact_messages_erase(
        messages=ContactMessage.objects.expired(before=closed_before)
    )
    counts["rate-limit counters"] = delete_expired_counters()
    return counts


# ---------------------------------------------------------------- the contact form
def contact_addresses() -> list[str]:
    """Who hears about a new message: the programme's own contact address."""
    address = settings.PORTAL.get("CONTACT_EMAIL", "")
    return [address] if address else []


@sensitive_variables("data")
def contact_message_submit(
    *,
    data: dict,
    submission_key,
    privacy_notice_version: str,
    language: str,
    site_url: str,
) -> ContactMessage | None:
    """Keep a message from the contact page and queue the staff's notification with it.

    The notification carries no personal data (staff read the message in the admin), so
    nothing of it outlives the purge in someone's mailbox. Returns None when the same form
    was sent twice.
    """
    try:
        with transaction.atomic():
            if ContactMessage.objects.filter(submission_key=submission_key).exists():
                logger.info("A contact form was sent twice; the second was ignored.")
                return None
            message = ContactMessage.objects.create(
                submission_key=submission_key,
                name=data["name"],
                email=data["email"],
                subject=data.get("subject", ""),
                message=data["message"],
                language=language,
                consent_given_at=timezone.now(),
                privacy_notice_version=privacy_notice_version,
            )
            recipients = contact_addresses()
            if recipients:
                with translation.override(settings.LANGUAGE_CODE):
                    queued = queue_email(
                        kind="contact_notification",
                        to=recipients,
                        contact_message=message,
                        context={
                            "message_number": message.pk,
                            "admin_url": site_url
                            + reverse("admin:volunteers_contactmessage_change", args=[message.pk]),
                        },
                    )
                _send_after_commit([queued.pk])
            else:
                logger.warning("No contact address to tell about contact message #%s.", message.pk)
            logger.info("Contact message #%s received.", message.pk)
            return message
    except IntegrityError:
        logger.info("A contact form collided with an earlier submission; nothing new saved.")
        return None


def contact_messages_mark_handled(
    *, messages: Iterable[ContactMessage], handled: bool, user=None
) -> int:
    ids = [message.pk for message in messages]
    queryset = ContactMessage.objects.filter(pk__in=ids)
    if handled:
        return queryset.unhandled().update(handled_at=timezone.now(), handled_by=user)
    return queryset.exclude(handled_at=None).update(handled_at=None, handled_by=None)


def contact_messages_erase(*, messages: Iterable[ContactMessage]) -> int:
    """Delete messages (and their queued emails); blank their entries in the admin's history."""
    ids = [message.pk for message in messages]
    if not ids:
        return 0
    with transaction.atomic():
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ContactMessage),
            object_id__in=[str(pk) for pk in ids],
        ).update(object_repr=gettext("(erased)"), change_message="")
        count = ContactMessage.objects.filter(pk__in=ids).count()
        ContactMessage.objects.filter(pk__in=ids).delete()
    logger.info("Erased %s contact message(s).", count)
    return count


def contact_message_erase_person(*, email: str) -> int:
    """A person's right to erasure: every contact message sent from this address."""
    return contact_messages_erase(messages=ContactMessage.objects.with_email(email))


def contact_messages_export(*, email: str) -> list[dict]:
    """Every contact message sent from this address (any letter case), for a subject
    access request. Names no member of staff."""
    messages = ContactMessage.objects.with_email(email).order_by("created_at", "pk")
    return [
        {
            "reference": message.pk,
            "name": message.name,
            "email": message.email,
            "subject": message.subject,
            "message": message.message,
            "language": message.language,
            "consent_given_at": message.consent_given_at.isoformat(),
            "privacy_notice_version": message.privacy_notice_version,
            "received_at": message.created_at.isoformat(),
            "handled_at": message.handled_at.isoformat() if message.handled_at else None,
        }
        for message in messages
    ]
