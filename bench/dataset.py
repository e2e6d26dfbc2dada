"""The benchmark's data: the demo content grown to a busy decade, inserted in bulk.

``python -m bench.dataset --scale 1`` (with ``DATABASE_URL`` naming the benchmark's own
database, never the dev data) adds, over ``load_demo``'s content: event occurrences
(including weekly series) spread over ten years back and one ahead, writers of every
visibility, projects, venues and volunteer applications; a few real images go through
the upload pipeline (renditions included) and are shared by many rows.
"""

import argparse
import datetime
import io
import os
import random
import time
from dataclasses import dataclass

# Everyday words make up most of a text; each event, project or writer also has a few
# topical words, so a two-word search matches a small share of them, as in real content.
_EVERYDAY = (
    "the and with for our all are you join bring friends evening morning afternoon "
    "people together share new open welcome come along free drop into city centre "
    "session group talk hear meet local space time place children adults families "
    "everyone booking tea coffee room quiet step library hall week month year"
)
_TOPICS = (
    "poetry workshop translation exile memory refuge stories letters europe schools "
    "reading canaries strangers film competition voices freedom speech language "
    "migration norwich river market cathedral archive journal essay novel drama songs "
    "radio festival mentoring calligraphy theatre photography music dance cooking "
    "gardening history maps walking publishing editing podcast zine illustration comics "
    "debate philosophy science nature climate craft textiles weaving printmaking"
)
EVERYDAY, TOPICS = _EVERYDAY.split(), _TOPICS.split()


NAMES = [
    "Amira Haddad",
    "Jiao Wen",
    "Dawit Bekele",
    "Leyla Şahin",
    "Mahmoud Darwish-Ali",
    "Ngozi Eze",
    "Parisa Karimi",
    "Rustam Nazarov",
    "Sofía Peña",
    "Yusuf Omar",
    "王小波",
    "نزار قباني",
    "Élise Müller",
]


@dataclass(frozen=True)
class Size:
    occurrences: int
    series: int
    writers: int
    projects: int
    applications: int
    venues: int
    weeks_per_series: int = 40

    def scaled(self, factor: float) -> "Size":
        return Size(
            occurrences=round(self.occurrences * factor),
            series=round(self.series * factor),
            writers=round(self.writers * factor),
            projects=max(6, round(self.projects * factor)),
            applications=round(self.applications * factor),
            venues=max(3, round(self.venues * factor)),
            weeks_per_series=self.weeks_per_series,
        )


FULL = Size(
    occurrences=20_000, series=200, writers=300, projects=60, applications=50_000, venues=40
)


def sentence(rng: random.Random, words: int = 12, *, topics: int = 0) -> str:
    chosen = [rng.choice(EVERYDAY) for _ in range(words)]
    for topic in rng.sample(TOPICS, topics):
        chosen.insert(rng.randrange(len(chosen) + 1), topic)
    return " ".join(chosen).capitalize() + "."


def title(rng: random.Random, number: int) -> str:
    first, second = rng.sample(TOPICS, 2)
    return f"{first.capitalize()} and {second} {number}"


def make_images(count: int) -> list[tuple[str, int, int]]:
    """A few photos through the real upload pipeline: (name, width, height) for rows to share."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image, ImageDraw, ImageFilter

    from core.images import clean_image, save_clean_image

    rng = random.Random(7)  # noqa: S311 (not cryptographic: repeatable demo pictures)
    images = []
    for index in range(count):
        width, height = 1600, 1000
        picture = Image.effect_noise((width, height), 60).convert("RGB")
        draw = ImageDraw.Draw(picture)
        for _ in range(30):
            x, y = rng.randrange(width), rng.randrange(height)
            colour = tuple(rng.randrange(256) for _ in range(3))
            draw.ellipse((x, y, x + rng.randrange(80, 500), y + rng.randrange(80, 400)), colour)
        picture = picture.filter(ImageFilter.GaussianBlur(3))
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=90)
        upload = ContentFile(buffer.getvalue(), name=f"bench-{index}.jpg")
        name = save_clean_image(default_storage, f"bench/photo-{index}.jpg", upload)
        cleaned = clean_image(upload)
        images.append((name, cleaned.width, cleaned.height))
    return images


def build(size: Size, *, seed: int = 2006) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from core.publishing import Audience, PublicationStatus
    from events.models import Event, EventStatus, EventType, LocationMode, Occurrence, Venue
    from events.recurrence import expand
    from programme.models import Project, Quote, Strand, Work, Writer, WriterVisibility
    from volunteers.models import DBSCheck, VolunteerApplication, VolunteerRole

    rng = random.Random(seed)  # noqa: S311 (not cryptographic: a repeatable dataset)
    call_command("load_demo", verbosity=0)
    images = make_images(6)
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    audiences = [choice.value for choice in Audience]
    event_types = [choice.value for choice in EventType]

    def with_image(row, field="image", share=3):
        if rng.randrange(share) == 0:
            name, width, height = rng.choice(images)
            setattr(row, field, name)
            setattr(row, f"{field}_width", width)
            setattr(row, f"{field}_height", height)
            if hasattr(row, f"{field}_alt"):
                setattr(row, f"{field}_alt", "People reading together in a library.")
        return row

    with transaction.atomic():
        strands = list(Strand.objects.all())
        for strand in strands:
            with_image(strand, share=1)
            strand.save()

        existing = Project.objects.count()
        projects = Project.objects.bulk_create(
            with_image(
                Project(
                    strand=strands[i % len(strands)],
                    title=title(rng, i),
                    slug=f"bench-project-{i}",
                    summary=sentence(rng),
                    body=f"<p>{sentence(rng, 60, topics=1)}</p><p>{sentence(rng, 40)}</p>",
                    audiences=rng.sample(audiences, 2),
                    status=PublicationStatus.PUBLISHED if i % 10 else PublicationStatus.DRAFT,
                    order=i,
                )
            )
            for i in range(max(0, size.projects - existing))
        )
        projects += list(Project.objects.filter(slug__in=["strangers-and-canaries"]))

        writers = []
        visibilities = [WriterVisibility.PUBLIC] * 8 + [
            WriterVisibility.UNLISTED,
            WriterVisibility.HIDDEN,
        ]
        for i in range(size.writers - Writer.objects.count()):
            start = today - datetime.timedelta(days=rng.randrange(-365, 6000))
            writers.append(
                with_image(
                    Writer(
                        name=f"{rng.choice(NAMES)} {i}",
                        slug=f"bench-writer-{i}",
                        visibility=visibilities[i % len(visibilities)],
                        consent_recorded_on=None if i % 17 == 0 else datetime.date(2020, 1, 1),
                        consent_scope="Name, biography and works.",
                        country_of_origin="Somewhere",
                        show_country=i % 2 == 0,
                        show_portrait=True,
                        strand=strands[i % len(strands)],
                        languages=["English", "Arabic"],
                        genres=["poetry", "essays"],
                        summary=sentence(rng),
                        biography=f"<p>{sentence(rng, 80, topics=2)}</p>",
                        residency_start=start,
                        residency_end=start + datetime.timedelta(days=rng.randrange(180, 730)),
                    ),
                    field="portrait",
                )
            )
        writers = Writer.objects.bulk_create(writers)
        Work.objects.bulk_create(
            Work(writer=writer, title=sentence(rng, 4), year=2000 + n, language="English")
            for writer in writers
            for n in range(3)
        )
        Quote.objects.bulk_create(
            Quote(writer=writer, text=sentence(rng, 20), source="An interview")
            for writer in writers
        )

        venues = Venue.objects.bulk_create(
            Venue(
                name=f"{rng.choice(['Hall', 'Library', 'Centre', 'Chapel'])} {i}",
                address=f"{i} Elm Hill\nNorwich",
                postcode="NR3 1HN",
                accessibility_notes="Step-free entrance; hearing loop.",
            )
            for i in range(size.venues)
        )

        def new_event(i: int, start: datetime.datetime, rrule: str) -> Event:
            location = [LocationMode.VENUE] * 8 + [LocationMode.ONLINE, LocationMode.ON_BOOKING]
            location = location[i % len(location)]
            status = EventStatus.PUBLISHED
            if i % 31 == 0:
                status = EventStatus.CANCELLED
            elif i % 53 == 0:
                status = EventStatus.DRAFT
            is_free = i % 3 != 0
            booking = "none"
            if location == LocationMode.ON_BOOKING:
                booking = "portal" if is_free else "link"
            project = projects[i % len(projects)] if i % 2 == 0 else None
            return with_image(
                Event(
                    title=title(rng, i),
                    slug=slugify(f"bench-event-{i}"),
                    summary=sentence(rng),
                    strand=project.strand if project else strands[i % len(strands)],
                    project=project,
                    event_type=event_types[i % len(event_types)],
                    audiences=rng.sample(audiences, 2),
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    rrule=rrule,
                    location=location,
                    # A private venue is stored but withheld; free ones are booked here.
                    venue=venues[i % len(venues)] if location != LocationMode.ONLINE else None,
                    online_url="https://example.org/live" if location == "online" else "",
                    booking=booking,
                    booking_url="https://example.org/book" if booking == "link" else "",
                    # Ample places: the bench books hundreds a run (bench/booking.py).
                    capacity=2000 if booking == "portal" else None,
                    is_free=is_free,
                    price=None if is_free else 5,
                    body=f"<p>{sentence(rng, 50, topics=1)}</p><p>{sentence(rng, 30)}</p>",
                    status=status,
                    cancellation_reason="The venue is closed." if status == "cancelled" else "",
                ),
                share=4,
            )

        # Ten years back and one ahead; weekly series start across the same span.
        span_start = today - datetime.timedelta(days=3650)
        one_offs = size.occurrences - size.series * size.weeks_per_series
        events = []
        for i in range(one_offs):
            day = span_start + datetime.timedelta(days=round(i * 4015 / max(one_offs, 1)))
            start = datetime.datetime.combine(day, datetime.time(10 + i % 10), tzinfo=tz)
            events.append(new_event(i, start, ""))
        for j in range(size.series):
            day = span_start + datetime.timedelta(days=round(j * 3900 / max(size.series, 1)))
            start = datetime.datetime.combine(day, datetime.time(16), tzinfo=tz)
            events.append(
                new_event(one_offs + j, start, f"FREQ=WEEKLY;COUNT={size.weeks_per_series}")
            )
        events = Event.objects.bulk_create(events, batch_size=2000)
        Occurrence.objects.bulk_create(
            (
                Occurrence(event=event, start=start, end=end, is_cancelled=cancelled)
                for event in events
                for start, end, cancelled in expand(event)
            ),
            batch_size=5000,
        )

        roles = list(VolunteerRole.objects.all())
        applications = VolunteerApplication.objects.bulk_create(
            (
                VolunteerApplication(
                    name=f"Volunteer {i}",
                    email=f"volunteer{i}@example.org",
                    area="NR2",
                    languages=["English"],
                    availability=["weekends"],
                    message=sentence(rng),
                    dbs_check=DBSCheck.NOT_SURE,
                    is_adult=True,
                    consent_given_at=timezone.now(),
                    privacy_notice_version="1.0",
                    email_confirmed_at=timezone.now() if i % 4 else None,
                )
                for i in range(size.applications)
            ),
            batch_size=5000,
        )
        through = VolunteerApplication.roles.through
        through.objects.bulk_create(
            (
                through(volunteerapplication=application, volunteerrole=roles[i % len(roles)])
                for i, application in enumerate(applications)
            ),
            batch_size=5000,
        )
    from django.db import connection

    # As PostgreSQL's docs ask after a bulk load, and as autovacuum soon does on a live
    # site: statistics for the planner, and the visibility map, without which the
    # covering indexes (``event_public``) are read with a visit to every row's heap page.
    # (VACUUM cannot run in a transaction: inside a test's, statistics only.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return {
        "events": Event.objects.count(),
        "occurrences": Occurrence.objects.count(),
        "recurring_series": Event.objects.exclude(rrule="").count(),
        "writers": Writer.objects.count(),
        "writers_public": Writer.objects.listed().count(),
        "projects": Project.objects.count(),
        "volunteer_applications": VolunteerApplication.objects.count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    began = time.monotonic()
    counts = build(FULL.scaled(args.scale))
    print(f"Built the {args.scale:g}× dataset in {time.monotonic() - began:.0f} s: {counts}")


if __name__ == "__main__":
    main()
