"""Access needs get their own permission, "Can see access needs" (``view_access_needs``),
instead of riding on "Can change booking": migration 0008 gives it to the Booking
coordinator group."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0006_booking_language"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="booking",
            options={
                "ordering": ["occurrence", "created_at", "pk"],
                "permissions": [("view_access_needs", "Can see access needs")],
                "verbose_name": "booking",
                "verbose_name_plural": "bookings",
            },
        ),
    ]
