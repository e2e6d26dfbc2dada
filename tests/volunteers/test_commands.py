"""purge_volunteer_data: keep only what we need, and anonymous counts of the rest."""

import datetime
import io

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from core.models import RateLimitCounter
from tests.volunteers.factories import NoteFactory, VolunteerApplicationFactory
from volunteers.models import (
    PurgedApplicationCount,
    QueuedEmail,
    VolunteerApplication,
)


def aged(application, *, days, field="created_at"):
    VolunteerApplication.objects.filter(pk=application.pk).update(
        **{field: timezone.now() - datetime.timedelta(days=days)}
    )
    return application


@pytest.mark.django_db
def test_purge_deletes_what_has_expired_and_keeps_counts(settings, admin_user):
    settings.VOLUNTEERS = {
        **settings.VOLUNTEERS,
        "UNCONFIRMED_DAYS": 30,
        "CLOSED_RETENTION_DAYS": 180,
    }
    stale = aged(VolunteerApplicationFactory(email_confirmed_at=None), days=31)
    fresh = aged(VolunteerApplicationFactory(email_confirmed_at=None), days=29)
    old_declined = aged(
        VolunteerApplicationFactory(status="declined"), days=181, field="status_changed_at"
    )
    new_declined = aged(
        VolunteerApplicationFactory(status="declined"), days=10, field="status_changed_at"
    )
    aged(VolunteerApplicationFactory(status="withdrawn"), days=200, field="status_changed_at")
    old_active = aged(
        VolunteerApplicationFactory(status="active"), days=400, field="status_changed_at"
    )
    NoteFactory(application=old_declined, text="Not a good fit for mentoring.")
    QueuedEmail.objects.create(application=stale, kind="confirm", to=["x@example.org"],
                               subject="s", text_body="Dear Stale")  # fmt: skip
    LogEntry.objects.log_actions(
        user_id=admin_user.pk, queryset=[old_declined], action_flag=CHANGE, single_object=True
    )
    RateLimitCounter.objects.create(
        key="old", count=3, expires_at=timezone.now() - datetime.timedelta(hours=1)
    )

    out = io.StringIO()
    call_command("purge_volunteer_data", stdout=out)

    remaining = set(VolunteerApplication.objects.values_list("pk", flat=True))
    assert remaining == {fresh.pk, new_declined.pk, old_active.pk}
    assert not QueuedEmail.objects.exists()
    assert not RateLimitCounter.objects.exists()
    counts = dict(PurgedApplicationCount.objects.values_list("reason", "count"))
    assert counts == {"unconfirmed": 1, "declined": 1, "withdrawn": 1}
    assert "unconfirmed: 1" in out.getvalue()
    entry = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(VolunteerApplication),
        object_id=str(old_declined.pk),
    )
    assert entry.object_repr == "(erased)"

    # Run again the same day: nothing more to do, and the counts add up rather than repeat.
    call_command("purge_volunteer_data", stdout=io.StringIO())
    assert dict(PurgedApplicationCount.objects.values_list("reason", "count")) == counts
