"""The Volunteer coordinator group: sees and manages volunteers and roles, nothing else."""

from django.db import migrations

GROUP = "Volunteer coordinator"
ALL = ("view", "add", "change", "delete")
PERMISSIONS = {
    "volunteers": {
        "volunteerapplication": ALL,
        "volunteerrole": ALL,
        "note": ALL,
        "purgedapplicationcount": ("view",),
    }
}


def create_group(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
