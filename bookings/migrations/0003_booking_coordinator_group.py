"""The Booking coordinator group: runs events' attendee lists, nothing else.

Sees and changes bookings (cancel with a message, mark attended), sees the venue
release log and the anonymous counts, and sees (never changes) the events and
their dates. Access needs are personal data of a special category: only this
group (and superusers) see them.
"""

from django.db import migrations

GROUP = "Booking coordinator"
PERMISSIONS = {
    "bookings": {
        "booking": ("view", "change"),
        "venuerelease": ("view",),
        "bookingcount": ("view",),
    },
    "events": {
        "event": ("view",),
        "occurrence": ("view",),
    },
}


def create_group(apps, schema_editor):
    from core.roles import grant

    grant(apps, GROUP, PERMISSIONS)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_capacity_trigger"),
        ("events", "0009_booking_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
