"""The privacy notice gains a section on the contact form: a new version, so consent
records which.

Only where a privacy page exists and lacks the section (a new install gets the text from
the demo content, or staff write their own); its version is bumped as the consent records
expect ("1.1" becomes "1.2"). Both the original column and the English one are written
(modeltranslation serves the English). Undoing leaves the text.
"""

from django.db import migrations

HEADING = "<h2>Writing to us through the contact page</h2>"

SECTION = (
    HEADING + "<p>When you send us a message through our contact page, we keep your name, "
    "your email address, the subject and your message, and when you agreed to this notice, "
    "only to answer you. We delete it 180 days after we have dealt with it (or 180 days after "
    "it arrived). It is included if you ask for a copy of your data, and erased if you ask "
    "us to.</p>"
)


def next_version(version: str) -> str:
    major, _, minor = version.partition(".")
    if major.isdigit() and (minor.isdigit() or not minor):
        return f"{major}.{int(minor or 0) + 1}"
    return f"{version} (contact)" if version else "1.2"


def add_section(apps, schema_editor):
    Page = apps.get_model("programme", "Page")
    page = Page.objects.filter(slug="privacy").first()
    if page is None or HEADING in (page.body or ""):
        return
    fields = ["body", "version"]
    page.body = (page.body or "") + SECTION
    if hasattr(page, "body_en"):
        page.body_en = (page.body_en or "") + SECTION
        fields.append("body_en")
    page.version = next_version(page.version)
    page.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0006_contact_message_permissions"),
        ("programme", "0016_programme_help_texts"),
    ]

    operations = [migrations.RunPython(add_section, migrations.RunPython.noop)]
