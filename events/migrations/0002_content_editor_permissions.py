"""Content editors look after the calendar: events and venues (and may view dates)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editor"
PERMISSIONS = [
    f"{action}_{model}"
    for model in ("event", "venue")
    for action in ("add", "change", "delete", "view")
] + ["view_occurrence"]


def grant(apps, schema_editor):
    # On a fresh database permissions are created only after all migrations; make them now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="events", codename__in=PERMISSIONS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="events", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
