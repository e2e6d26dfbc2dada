"""Event bodies saved while the editor lacked its styles have &nbsp; for every typed space.

Clean them with the sanitiser, which now turns those back into ordinary spaces (issue 11,
item 5; programme's 0008 does the same for strands, projects, writers and pages). The history
table keeps what was stored then.
"""

from django.db import migrations
from django.db.models import Q

from core.sanitise import sanitise_html


def loosen_no_break_spaces(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    stored = Event._default_manager.filter(Q(body__contains="&nbsp;") | Q(body__contains="\xa0"))
    changed = []
    for event in stored.only("pk", "body").iterator(chunk_size=200):
        cleaned = sanitise_html(event.body)
        if cleaned != event.body:
            event.body = cleaned
            changed.append(event)
    # bulk_update leaves updated_at alone: the words have not changed.
    Event._default_manager.bulk_update(changed, ["body"], batch_size=200)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_illustrated_upload_folders"),
    ]

    operations = [
        migrations.RunPython(loosen_no_break_spaces, migrations.RunPython.noop, elidable=True),
    ]
