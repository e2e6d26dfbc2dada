"""The privacy notice covers bookings, and its version moves on so consent records which."""

import importlib

import pytest

from programme import demo_content

migration = importlib.import_module("bookings.migrations.0005_privacy_notice_bookings_section")


def test_demo_privacy_notice_has_the_bookings_section_and_a_new_version():
    page = next(fields for fields in demo_content.PAGES if fields["slug"] == "privacy")
    assert page["version"] == "1.2"  # 1.1 for bookings, 1.2 for the contact form
    assert migration.HEADING in page["body"]
    for words in ("legitimate interest", "explicit consent", "7 days", "90 days"):
        assert words in page["body"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("1.0", "1.1"),
        ("2", "2.1"),
        ("1.9", "1.10"),
        ("", "1.1"),
        ("May 2026", "May 2026 (bookings)"),
    ],
)
def test_version_bump(old, new):
    assert migration.next_version(old) == new


@pytest.mark.django_db
def test_the_migration_adds_the_section_once():
    from django.apps import apps

    from programme.models import Page

    page = Page.objects.create(
        slug="privacy", title="Privacy notice", version="1.0", body="<p>Hi</p>"
    )
    migration.add_section(apps, None)
    migration.add_section(apps, None)
    page.refresh_from_db()
    assert page.version == "1.1"
    assert page.body.count("Booking a place at an event") == 1
