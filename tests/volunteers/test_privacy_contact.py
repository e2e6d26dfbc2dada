"""The privacy notice says what the contact form keeps, and for how long (issue 14)."""

import importlib

import pytest

from programme import demo_content

migration = importlib.import_module("volunteers.migrations.0007_privacy_notice_contact_section")


def test_the_demo_notice_has_the_contact_section():
    page = next(fields for fields in demo_content.PAGES if fields["slug"] == "privacy")
    assert migration.HEADING in page["body"]
    assert "180 days" in page["body"]


@pytest.mark.django_db
def test_the_migration_adds_the_section_once_and_bumps_the_version():
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from programme.models import Page

    # The models as the migration sees them (no modeltranslation descriptors).
    state = MigrationLoader(connection).project_state(
        ("volunteers", "0007_privacy_notice_contact_section")
    )
    apps = state.apps

    page = Page.objects.create(
        slug="privacy", title="Privacy notice", version="1.1", body="<p>Hi</p>"
    )
    migration.add_section(apps, None)
    migration.add_section(apps, None)
    page.refresh_from_db()
    assert page.version == "1.2"
    assert page.body.count("Writing to us through the contact page") == 1
    assert "Writing to us through the contact page" in page.body_en
