"""The privacy notice gains a section on bookings: a new version, so consent records which.

Only where a privacy page exists and lacks the section (a new install gets the text
from the demo content, or staff write their own); its version is bumped as the
volunteers' consent records expect ("1.0" becomes "1.1"). Undoing leaves the text.
"""

from django.db import migrations

HEADING = "<h2>Booking a place at an event</h2>"

SECTION = (
    HEADING + "<p>When you book a free place at one of our events, we keep your name, your email "
    "address, the number of places and the date you booked, to run your booking: to confirm "
    "it, send you its details, a reminder and any change, offer you a place from the waiting "
    "list, and know who to expect at the door. Our lawful basis is our legitimate interest in "
    "running events you have asked to come to (and, for the booking itself, taking the steps "
    "you asked us to take). We record when you agreed to this notice and which version it "
    "was.</p>"
    "<p>If you tell us about access needs, that may be information about your health, a "
    "special category of personal data: we keep it only with your explicit consent, given by "
    "writing it in the form, show it only to the staff running that event, and delete it "
    "7 days after the date. You can leave it out and tell us at the door instead.</p>"
    "<p>For an event whose venue is private, we send the address only to people whose "
    "booking is confirmed, and we keep a record of each time we sent it, for as long as we "
    "keep the booking.</p>"
    "<p>We delete bookings whose email address was never confirmed after 2 days, and every "
    "booking's name and email address 90 days after the date, keeping only anonymous counts "
    "(how many booked and came). You can cancel a booking with the link in our emails at any "
    "time, and ask us to erase your bookings sooner.</p>"
)


def next_version(version: str) -> str:
    major, _, minor = version.partition(".")
    if major.isdigit() and (minor.isdigit() or not minor):
        return f"{major}.{int(minor or 0) + 1}"
    return f"{version} (bookings)" if version else "1.1"


def add_section(apps, schema_editor):
    Page = apps.get_model("programme", "Page")
    page = Page.objects.filter(slug="privacy").first()
    if page is None or HEADING in page.body:
        return
    page.body = page.body + SECTION
    page.version = next_version(page.version)
    page.save(update_fields=["body", "version"])


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0004_email_kind_already"),
        ("programme", "0009_constraint_messages"),
    ]

    operations = [migrations.RunPython(add_section, migrations.RunPython.noop)]
