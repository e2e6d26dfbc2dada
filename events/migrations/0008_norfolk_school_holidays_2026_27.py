"""Norfolk's school holidays for 2026–27, so "term time only" works at once; content
editors may keep the list up to date.

These dates are APPROXIMATE: they follow Norfolk County Council's usual pattern and were not
copied from its published calendar. Staff should check them against
https://www.norfolk.gov.uk/ (school term and holiday dates) and correct them under
"School holidays" in the admin; academies may differ.
"""

import datetime

from django.db import migrations

PERMISSIONS = {"events": {"schoolholiday": ("add", "change", "delete", "view")}}
D = datetime.date
HOLIDAYS = [
    ("Summer holidays 2026", D(2026, 7, 22), D(2026, 9, 2)),
    ("Autumn half term 2026", D(2026, 10, 26), D(2026, 10, 30)),
    ("Christmas holidays 2026", D(2026, 12, 21), D(2027, 1, 1)),
    ("Spring half term 2027", D(2027, 2, 15), D(2027, 2, 19)),
    ("Easter holidays 2027", D(2027, 3, 29), D(2027, 4, 9)),
    ("May Day bank holiday 2027", D(2027, 5, 3), D(2027, 5, 3)),
    ("Summer half term 2027", D(2027, 5, 31), D(2027, 6, 4)),
    ("Summer holidays 2027", D(2027, 7, 22), D(2027, 8, 31)),
]


def seed(apps, schema_editor):
    SchoolHoliday = apps.get_model("events", "SchoolHoliday")
    for name, first_day, last_day in HOLIDAYS:
        SchoolHoliday.objects.get_or_create(
            name=name, defaults={"first_day": first_day, "last_day": last_day}
        )


def grant(apps, schema_editor):
    from core.roles import grant

    grant(apps, "Content editor", PERMISSIONS)


def revoke(apps, schema_editor):
    from core.roles import revoke

    revoke(apps, "Content editor", PERMISSIONS)


def unseed(apps, schema_editor):
    SchoolHoliday = apps.get_model("events", "SchoolHoliday")
    SchoolHoliday.objects.filter(name__in=[name for name, _first, _last in HOLIDAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_school_holidays_and_plain_repeats"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, unseed), migrations.RunPython(grant, revoke)]
