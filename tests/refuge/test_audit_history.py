"""Who changed what and when: an audit history staff can read in the admin."""

import pytest

from programme.models import Writer
from tests.programme.factories import (
    PageFactory,
    PartnerFactory,
    ProjectFactory,
    StrandFactory,
    WriterFactory,
)
from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory

pytestmark = pytest.mark.django_db


def test_an_edit_in_admin_is_recorded_with_its_author_and_shown(admin_client, admin_user):
    writer = WriterFactory(name="Before", slug="before", visibility="hidden")
    response = admin_client.post(
        f"/admin/programme/writer/{writer.pk}/change/",
        {
            "name": "After",
            "slug": "before",
            "visibility": "public",
            "consent_recorded_on": "2026-01-05",
            "works-TOTAL_FORMS": "0",
            "works-INITIAL_FORMS": "0",
            "quotes-TOTAL_FORMS": "0",
            "quotes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    latest = Writer.history.filter(id=writer.pk).latest()
    assert latest.name == "After"
    assert latest.visibility == "public"
    assert latest.history_user == admin_user
    assert latest.prev_record.name == "Before"
    page = admin_client.get(f"/admin/programme/writer/{writer.pk}/history/").content.decode()
    assert "After" in page
    assert "admin" in page


@pytest.mark.parametrize(
    "factory",
    [
        StrandFactory,
        ProjectFactory,
        WriterFactory,
        PartnerFactory,
        PageFactory,
        VolunteerRoleFactory,
        VolunteerApplicationFactory,
    ],
    ids=["strand", "project", "writer", "partner", "page", "volunteer role", "application"],
)
def test_every_audited_model_records_each_change(factory):
    instance = factory()
    type(instance).objects.get(pk=instance.pk).save()
    records = type(instance).history.filter(id=instance.pk)
    assert [record.history_type for record in records] == ["~", "+"]
