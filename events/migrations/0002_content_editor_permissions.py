"""Content editors look after the calendar: events and venues (and may view dates)."""

from django.db import migrations

GROUP = "Content editor"
ALL = ("add", "change", "delete", "view")
PERMISSIONS = {"events": {"event": ALL, "venue": ALL, "occurrence": ("view",)}}


def grant(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def revoke(apps, schema_editor):
    from core.roles import revoke

    revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
