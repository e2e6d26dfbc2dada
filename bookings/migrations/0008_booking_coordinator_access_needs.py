"""The Booking coordinator group may see access needs (``bookings.view_access_needs``),
as it could when seeing them rode on "Can change booking". No other group gets it."""

from django.db import migrations

GROUP = "Booking coordinator"
# core.roles.grant() builds codenames as "<action>_<name>": this is "view_access_needs",
# Booking's own permission (Meta.permissions), not a model's.
PERMISSIONS = {"bookings": {"access_needs": ("view",)}}


def grant(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def revoke(apps, schema_editor):
    from core.roles import revoke

    revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0007_booking_view_access_needs_permission"),
        ("bookings", "0003_booking_coordinator_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
