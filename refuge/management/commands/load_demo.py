"""Demo content from the programme's own text for `make run`: every app's, so in the project."""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.publishing import PublicationStatus
from events import demo_content as events_demo_content
from programme import demo_content
from programme.models import HomePage, Page, Partner, Project, Strand, Work, Writer
from volunteers import demo_content as volunteers_demo_content


class Command(BaseCommand):
    help = "Load the demo content written from the programme's own text. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        published = {"status": PublicationStatus.PUBLISHED}
        for fields in demo_content.STRANDS:
            Strand.objects.update_or_create(slug=fields["slug"], defaults=fields | published)
        for fields in demo_content.PROJECTS:
            strand = Strand.objects.get(slug=fields["strand"])
            Project.objects.update_or_create(
                strand=strand,
                slug=fields["slug"],
                defaults=(fields | published) | {"strand": strand},
            )
        for fields in demo_content.WRITERS:
            strand = Strand.objects.get(slug=fields["strand"])
            Writer.objects.update_or_create(
                slug=fields["slug"], defaults=fields | {"strand": strand}
            )
        for fields in demo_content.WORKS:
            writer = Writer.objects.get(slug=fields["writer"])
            Work.objects.update_or_create(
                writer=writer, title=fields["title"], defaults=fields | {"writer": writer}
            )
        demo_content.load_writings()
        for fields in demo_content.PARTNERS:
            Partner.objects.update_or_create(name=fields["name"], defaults=fields | published)
        for fields in demo_content.PAGES:
            Page.objects.update_or_create(slug=fields["slug"], defaults=fields | published)
        HomePage.objects.update_or_create(singleton=True, defaults=demo_content.HOMEPAGE)
        demo_content.load_menus()  # the default menus, when there are none
        # Drawn pictures, so every demo exercises the image pipeline and the cards' layout;
        # writers keep none (a portrait is for staff to add with the writer's consent).
        for strand in Strand.objects.filter(slug__in=[f["slug"] for f in demo_content.STRANDS]):
            demo_content.illustrate(strand, seed=f"strand-{strand.slug}", alt=demo_content.DRAWING)
        for project in Project.objects.filter(slug__in=[f["slug"] for f in demo_content.PROJECTS]):
            demo_content.illustrate(
                project, seed=f"project-{project.slug}", alt=demo_content.DRAWING
            )
        # The other apps' demo content builds on the programme's.
        volunteers_demo_content.load()
        events_demo_content.load()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {Strand.objects.count()} strands, "
                f"{Project.objects.count()} projects, "
                f"{Writer.objects.count()} writers, {Partner.objects.count()} partners, "
                f"{Page.objects.count()} pages."
            )
        )
