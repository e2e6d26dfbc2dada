"""Formatted text saved while the editor lacked its styles has &nbsp; for every typed space.

Clean it with the sanitiser, which now turns those back into ordinary spaces (issue 11,
item 5). The history tables keep what was stored then; nobody reads them on the public site.
"""

from django.db import migrations
from django.db.models import Q

from core.sanitise import sanitise_html

FORMATTED_TEXT = {
    "Strand": "body",
    "Project": "body",
    "Writer": "biography",
    "Page": "body",
    "HomePage": "introduction",
}


def loosen_no_break_spaces(apps, schema_editor):
    for model_name, field in FORMATTED_TEXT.items():
        model = apps.get_model("programme", model_name)
        stored = model._default_manager.filter(
            Q(**{f"{field}__contains": "&nbsp;"}) | Q(**{f"{field}__contains": "\xa0"})
        )
        changed = []
        for item in stored.only("pk", field).iterator(chunk_size=200):
            cleaned = sanitise_html(getattr(item, field))
            if cleaned != getattr(item, field):
                setattr(item, field, cleaned)
                changed.append(item)
        # bulk_update leaves updated_at alone: the words have not changed.
        model._default_manager.bulk_update(changed, [field], batch_size=200)


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0007_illustrated_upload_folders"),
    ]

    operations = [
        migrations.RunPython(loosen_no_break_spaces, migrations.RunPython.noop, elidable=True),
    ]
