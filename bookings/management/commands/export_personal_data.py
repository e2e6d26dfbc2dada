"""A subject access request (UK GDPR): everything we hold about one email address, as JSON.

Volunteer applications, bookings and contact-page messages together (docs/operations.md,
"Personal data requests"). It lives with bookings because bookings is the app above both (it may
import volunteers; volunteers may not import bookings). The volunteers' admin action
*Export one person's data* answers for one application alone; this answers for the
address, across the site.
"""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.utils import timezone

from bookings.services import booking_subject_access_export
from volunteers.models import VolunteerApplication
from volunteers.services import contact_messages_export, subject_access_export


def personal_data(*, email: str) -> dict:
    applications = (
        VolunteerApplication.objects.with_email(email)
        .prefetch_related("roles", "notes", "queued_emails")
        .order_by("created_at", "pk")
    )
    return {
        "email": email,
        "exported_at": timezone.now().isoformat(),
        "volunteer_applications": [
            subject_access_export(application=application) for application in applications
        ],
        "bookings": booking_subject_access_export(email=email),
        "contact_messages": contact_messages_export(email=email),
    }


class Command(BaseCommand):
    help = (
        "Print, as JSON, every volunteer application, booking and contact message held for an "
        "email address "
        "(any letter case): for a subject access request. Withheld venue addresses are not "
        "included. Prints to standard output: redirect it to a file you keep safe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's email address.")

    def handle(self, *args, email: str, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError("That is not an email address.") from None
        data = personal_data(email=email)
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        found = (
            len(data["volunteer_applications"])
            + len(data["bookings"])
            + len(data["contact_messages"])
        )
        if not found:
            self.stderr.write("Nothing is held for that address.")
