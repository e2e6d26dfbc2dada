from django.db import migrations


def create_content_editor_group(apps, schema_editor):
    from core.roles import CONTENT_EDITOR, CONTENT_EDITOR_PERMISSIONS, grant

    grant(apps, CONTENT_EDITOR, CONTENT_EDITOR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("programme", "0004_search_indexes"),
    ]

    operations = [migrations.RunPython(create_content_editor_group, migrations.RunPython.noop)]
