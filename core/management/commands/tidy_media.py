"""Daily: every image where its record says, no uploaded names, no orphan files."""

from django.core.management.base import BaseCommand

from core import media


class Command(BaseCommand):
    help = (
        "Withhold or reveal each image as its record says, give images stored under "
        "their uploaded names random ones, and delete files no record refers to "
        "(older than an hour). Safe to run at any time."
    )

    def handle(self, *args, **options):
        report = media.tidy()
        self.stdout.write(
            f"{report.withheld} withheld, {report.revealed} revealed, "
            f"{report.renamed} renamed, {report.orphans} orphan file(s) deleted."
        )
