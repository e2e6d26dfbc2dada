"""Volunteer coordinators read contact messages, mark them handled and erase them.

Content editors do not: like volunteers' applications, a message is someone's personal
data, and editors never see any (core/roles.py). No one adds one in the admin.
"""

from django.db import migrations

GROUP = "Volunteer coordinator"
PERMISSIONS = {"volunteers": {"contactmessage": ("view", "change", "delete")}}


def grant_permissions(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def revoke_permissions(apps, schema_editor):
    from core.roles import revoke

    revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0005_contact_messages_and_optional_dbs")]

    operations = [migrations.RunPython(grant_permissions, revoke_permissions)]
