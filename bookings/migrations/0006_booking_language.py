"""A booking keeps the language the visitor booked in, so later emails speak it.

Bookings made before this have none (blank): their emails stay in the site's
default language, English, as they always were.
"""

from django.db import migrations, models


def language_field():
    return models.CharField(
        blank=True,
        default="",
        help_text="The language the visitor booked in: their emails are written in it.",
        max_length=15,
        verbose_name="language",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0005_privacy_notice_bookings_section"),
    ]

    operations = [
        migrations.AddField(model_name="booking", name="language", field=language_field()),
        migrations.AddField(
            model_name="historicalbooking", name="language", field=language_field()
        ),
    ]
