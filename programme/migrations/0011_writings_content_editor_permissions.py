"""Content editors, who look after writers, look after their writings too (issue 16)."""

from django.db import migrations

GROUP = "Content editor"
ALL = ("add", "change", "delete", "view")
PERMISSIONS = {"programme": {"writing": ALL, "writingversion": ALL}}


def grant(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def revoke(apps, schema_editor):
    from core.roles import revoke

    revoke(apps, GROUP, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0010_writings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
