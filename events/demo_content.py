"""A realistic term of demo events, placed relative to today so the calendar is never empty.

Called by ``manage.py load_demo`` after the programme's content. Every record is keyed by
its slug (venues by name), so loading again updates in place and never duplicates.
"""

import datetime

from django.utils import timezone

from events.models import Event, EventStatus, EventType, LocationMode, SchoolHoliday, Venue
from programme.demo_content import DRAWING, illustrate
from programme.models import Project, Strand

VENUES = [
    {
        "name": "The Forum: Millennium Library",
        "address": "Millennium Plain\nNorwich",
        "postcode": "NR2 1TF",
        "accessibility_notes": (
            "Step-free entrance from Millennium Plain; lifts to every floor; accessible toilets "
            "on the ground floor; hearing loop at the library desk."
        ),
        "transport_notes": (
            "In the city centre, a short walk from the buses on Castle Meadow and St "
            "Stephens Street; about 20 minutes on foot from Norwich station. Cycle racks on "
            "Millennium Plain."
        ),
        "website": "https://www.theforumnorwich.co.uk/",
    },
    {
        "name": "Norwich Arts Centre",
        "address": "St Benedict's Street\nNorwich",
        "postcode": "NR2 4PG",
        "accessibility_notes": (
            "Level access to the auditorium and bar; accessible toilet; wheelchair spaces can "
            "be booked with your ticket."
        ),
        "transport_notes": (
            "A 15-minute walk from the city centre along St Benedict's Street; buses to "
            "Dereham Road stop nearby. Cycle stands outside."
        ),
        "website": "https://norwichartscentre.co.uk/",
    },
    {
        "name": "National Centre for Writing, Dragon Hall",
        "address": "115–123 King Street\nNorwich",
        "postcode": "NR1 1QE",
        "accessibility_notes": (
            "Step-free access to the ground floor and, by lift, to the Great Hall; accessible "
            "toilet; quiet room on request."
        ),
        "transport_notes": (
            "About ten minutes on foot from Norwich station, along the river and up King "
            "Street. Bike racks in the courtyard; no parking on site."
        ),
        "website": "https://nationalcentreforwriting.org.uk/",
    },
    {
        # The reading's real venue: kept private, it never reaches a page or a feed.
        "name": "Private venue for the residency reading",
        "address": "Not for publication",
        "postcode": "NR0 0AA",
        "accessibility_notes": "Step-free; details are sent with each booking.",
    },
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
    )


def _next(day: datetime.date, weekday: int) -> datetime.date:
    """The first date on or after `day` that falls on `weekday` (Monday is 0)."""
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _term_time_weekly(first: datetime.date, *, sessions: int) -> dict:
    """A weekly rule of `sessions` dates from `first`, with the school holidays skipped."""
    holidays = SchoolHoliday.days_between(first, first + datetime.timedelta(weeks=sessions * 2))
    dates, skipped, day = [], [], first
    while len(dates) < sessions:
        (skipped if day in holidays else dates).append(day)
        day += datetime.timedelta(weeks=1)
    return {
        "rrule": f"FREQ=WEEKLY;UNTIL={dates[-1]:%Y%m%d}T235959",
        "exdates": skipped,
        "term_time_only": True,
        "repeat_sessions": sessions,
    }


def _first_saturday(today: datetime.date) -> datetime.date:
    """The next first Saturday of a month, on or after today."""
    day = _next(today.replace(day=1), 5)
    if day < today:
        following = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        day = _next(following, 5)
    return day


def _refugee_week(today: datetime.date) -> datetime.date:
    """The Monday of the next Refugee Week (the week that holds 20 June, World Refugee Day)."""
    year = today.year if today <= datetime.date(today.year, 6, 14) else today.year + 1
    world_refugee_day = datetime.date(year, 6, 20)
    return world_refugee_day - datetime.timedelta(days=world_refugee_day.weekday())


def events(today: datetime.date) -> list[dict]:
    days = datetime.timedelta
    workshops_start = _next(today - days(21), 1)  # a Tuesday three weeks ago
    sick_day = workshops_start + days(weeks=2)
    library_day = _first_saturday(today)
    refugee_week = _refugee_week(today)
    return [
        {
            "slug": "strangers-and-canaries-workshops",
            "title": "Strangers and Canaries: after-school writing workshops",
            "summary": (
                "Weekly workshops where young people write with an exiled writer and a local "
                "poet, and share their own stories of belonging."
            ),
            # Draft translations for the demonstration (issue 16, layer 3), not reviewed by
            # a native speaker; the body stays English, so the page shows the note.
            "title_ar": "الغرباء والكناري: ورش كتابة بعد المدرسة",
            "summary_ar": (
                "ورش أسبوعية يكتب فيها الشباب مع كاتب منفي وشاعر محلي، ويتشاركون قصصهم عن الانتماء."
            ),
            "title_fa": "غریبه‌ها و قناری‌ها: کارگاه‌های نویسندگی بعد از مدرسه",
            "summary_fa": (
                "کارگاه‌های هفتگی که در آن جوانان همراه با نویسنده‌ای تبعیدی و شاعری محلی "
                "می‌نویسند و داستان‌های تعلق خود را با هم در میان می‌گذارند."
            ),
            "strand": "community-programme",
            "project": "strangers-and-canaries",
            "event_type": EventType.WORKSHOP,
            "audiences": ["young-people", "schools"],
            "start": _at(workshops_start, 16),
            "end": _at(workshops_start, 17, 30),
            # Twelve sessions in term time, skipping the school holidays as the admin's
            # repeat editor would.
            **_term_time_weekly(workshops_start, sessions=12),
            "cancelled_dates": [sick_day],
            "cancelled_reasons": {
                sick_day.isoformat(): "The workshop leader is ill; we meet again next week."
            },
            "location": LocationMode.VENUE,
            "venue": "National Centre for Writing, Dragon Hall",
            "capacity_note": "For ages 11–18; up to 20 places each week.",
            "body": (
                "<p>Every Tuesday in term time. No experience needed, just bring a notebook. "
                "There are no workshops in the school holidays.</p>"
            ),
        },
        {
            "slug": "young-poets-competition-deadline",
            "title": "Young poets’ competition closes: poems on the theme of refuge",
            "summary": "Last day to send in a poem for our young poets’ competition.",
            "strand": "community-programme",
            "project": "competitions",
            "event_type": EventType.COMPETITION_DEADLINE,
            "audiences": ["young-people", "schools"],
            "start": _at(today + days(24), 0),
            "end": _at(today + days(24), 23, 59),
            "all_day": True,
            "location": LocationMode.ONLINE,
            "booking": "link",
            "booking_url": "https://example.org/young-poets-competition",
            "body": "<p>Entries by the end of the day, online or through your school.</p>",
        },
        {
            "slug": "reading-by-the-writer-in-residence",
            "title": "An evening with our writer in residence",
            "summary": (
                "Our writer in residence reads new work in translation, followed by a "
                "conversation and questions."
            ),
            "strand": "writer-in-residence",
            "event_type": EventType.READING,
            "audiences": ["adults", "writers"],
            "start": _at(today + days(10), 19),
            "end": _at(today + days(10), 20, 30),
            "location": LocationMode.ON_BOOKING,
            "venue": "Private venue for the residency reading",
            "booking": "portal",
            "capacity": 40,
            "places_per_booking": 4,
            "body": (
                "<p>Free, but booking is needed. For the writer’s safety the venue, in central "
                "Norwich, is sent only to the people who book, with their confirmation.</p>"
            ),
        },
        {
            "slug": "shahrazad-stories-for-life-evening",
            "title": "Shahrazad: stories for life",
            "summary": (
                "An evening of digital stories and letters by Norfolk pupils, first shown "
                "during Refugee Week."
            ),
            "strand": "shahrazad",
            "project": "letters-to-europe",
            "event_type": EventType.EXHIBITION,
            "audiences": ["families", "schools", "adults"],
            "start": _at(today + days(17), 18, 30),
            "end": _at(today + days(17), 20, 30),
            "venue": "Norwich Arts Centre",
            "booking": "portal",
            "capacity": 60,
            "places_per_booking": 6,
            "body": "<p>Two-minute digital stories, read letters and a conversation.</p>",
        },
        {
            "slug": "library-project-reading-group",
            "title": "Library project: world writing reading group",
            "summary": (
                "On the first Saturday of each month: a reading group for writing from across "
                "the world, in translation."
            ),
            "strand": "community-programme",
            "project": "library-project",
            "event_type": EventType.MEETING,
            "audiences": ["adults"],
            "start": _at(library_day, 10, 30),
            "end": _at(library_day, 12),
            "rrule": "FREQ=MONTHLY;BYDAY=1SA;COUNT=6",
            "venue": "The Forum: Millennium Library",
            "body": "<p>Copies of each month’s book are held at the library desk.</p>",
        },
        {
            "slug": "refugee-week-film-poems",
            "title": "Refugee Week: film poems screening",
            "summary": "Short film poems made with writers of the programme.",
            "strand": "community-programme",
            "event_type": EventType.OTHER,
            "audiences": ["adults", "families"],
            "start": _at(refugee_week + days(3), 19),
            "end": _at(refugee_week + days(3), 20),
            "venue": "Norwich Arts Centre",
            "body": (
                "<p>Part of Refugee Week, the UK-wide festival celebrating the contributions, "
                "creativity and resilience of refugees, held every June.</p>"
            ),
        },
        {
            "slug": "poetry-walk-along-the-wensum",
            "title": "A poetry walk along the Wensum",
            "summary": "Poems read along the river, from Pull’s Ferry to the Playhouse.",
            "strand": "community-programme",
            "event_type": EventType.OTHER,
            "audiences": ["adults", "families"],
            "start": _at(today + days(5), 14),
            "end": _at(today + days(5), 15, 30),
            "venue": "National Centre for Writing, Dragon Hall",
            "status": EventStatus.CANCELLED,
            "cancellation_reason": "Called off for high winds; a spring date will follow.",
        },
        {
            "slug": "training-working-with-translators",
            "title": "Training: working with translators",
            "summary": "A morning for volunteers on translating and interpreting with care.",
            "strand": "community-programme",
            "project": "training-and-workshops",
            "event_type": EventType.TRAINING,
            "audiences": ["adults", "writers"],
            "start": _at(today - days(20), 10),
            "end": _at(today - days(20), 13),
            "venue": "National Centre for Writing, Dragon Hall",
        },
        {
            "slug": "letters-to-europe-screening",
            "title": "Letters to Europe: pupils’ digital stories",
            "summary": "Pupils from four Norfolk schools show their two-minute digital stories.",
            "strand": "shahrazad",
            "project": "letters-to-europe",
            "event_type": EventType.EXHIBITION,
            "audiences": ["schools", "families"],
            "start": _at(today - days(45), 18),
            "end": _at(today - days(45), 19, 30),
            "venue": "The Forum: Millennium Library",
        },
        {
            "slug": "talk-cities-of-refuge",
            "title": "Talk: what is a City of Refuge?",
            "summary": "The story of ICORN and of Norwich as the UK’s first City of Refuge.",
            "strand": "writer-in-residence",
            "event_type": EventType.TALK,
            "audiences": ["adults"],
            "start": _at(today - days(70), 19),
            "end": _at(today - days(70), 20),
            "venue": "The Forum: Millennium Library",
        },
    ]


def load(*, today: datetime.date | None = None) -> int:
    """Create or update the demo venues and events; return how many events there are."""
    today = today or timezone.localdate()
    venues = {}
    for fields in VENUES:
        venues[fields["name"]], _ = Venue.objects.update_or_create(
            name=fields["name"], defaults=fields
        )
    strands = {strand.slug: strand for strand in Strand.objects.all()}
    projects = {project.slug: project for project in Project.objects.all()}
    defaults = {
        "status": EventStatus.PUBLISHED,
        "location": LocationMode.VENUE,
        "all_day": False,
        "rrule": "",
        "exdates": [],
        "cancelled_dates": [],
        "cancelled_reasons": {},
        "term_time_only": False,
        "repeat_sessions": None,
        "is_free": True,
        "price": None,
        "price_note": "",
        "booking": "none",
        "booking_url": "",
        "capacity": None,
        "places_per_booking": 4,
        "capacity_note": "",
        "cancellation_reason": "",
        "body": "",
        "venue": None,
        "project": None,
    }
    for fields in events(today):
        values = defaults | fields
        values["strand"] = strands[values["strand"]]
        values["project"] = projects.get(values["project"]) if values["project"] else None
        values["venue"] = venues[values["venue"]] if values["venue"] else None
        _save(values.pop("slug"), values)
    return Event.objects.count()


def _save(slug: str, values: dict) -> None:
    event = Event.objects.filter(slug=slug).first() or Event(slug=slug)
    for name, value in values.items():
        setattr(event, name, value)
    event.save()
    illustrate(event, seed=f"event-{slug}", alt=DRAWING)
