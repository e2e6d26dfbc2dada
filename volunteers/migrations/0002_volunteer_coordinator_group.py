"""The Volunteer coordinator group: sees and manages volunteers and roles, nothing else.

Permissions are normally created after all migrations run (post_migrate), so
on a fresh database they would not exist yet; create them here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Volunteer coordinator"
MODELS = ["volunteerapplication", "volunteerrole", "note"]
ACTIONS = ["view", "add", "change", "delete"]
READ_ONLY = ["purgedapplicationcount"]


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("volunteers")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    codenames += [f"view_{model}" for model in READ_ONLY]
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="volunteers", codename__in=codenames)
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
