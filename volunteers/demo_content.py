"""Demo volunteer roles, loaded by ``manage.py load_demo``. Keyed by slug: safe to load again."""

ROLES = [
    {
        "slug": "event-steward",
        "order": 1,
        "strand": "community-programme",
        "title": "Event steward",
        "description": (
            "Welcome audiences at readings, film poems and Refugee Week events: greet people, "
            "help them find their seats and make every visitor feel at home."
        ),
        "time_commitment": "A few evenings or weekend afternoons a year",
        "needs_dbs_check": False,
    },
    {
        "slug": "young-writers-mentor",
        "order": 2,
        "strand": "community-programme",
        "title": "Mentor for young writers",
        "description": (
            "Support young people in Strangers and Canaries workshops in Norfolk schools and "
            "youth groups as they write and share their own stories of belonging."
        ),
        "time_commitment": "Two hours a week in term time",
        "needs_dbs_check": True,
    },
    {
        "slug": "translator-interpreter",
        "order": 3,
        "strand": "writer-in-residence",
        "title": "Translator or interpreter",
        "description": (
            "Help the writer in residence reach English-speaking readers, and help visitors "
            "and audiences reach the writer, by translating texts or interpreting at events."
        ),
        "time_commitment": "As and when needed",
        "needs_dbs_check": False,
    },
    {
        "slug": "library-project-helper",
        "order": 4,
        "strand": "community-programme",
        "title": "Library project helper",
        "description": (
            "Help build and run our library project: sorting donated books, cataloguing works "
            "by exiled writers and helping at reading sessions."
        ),
        "time_commitment": "Half a day a month",
        "needs_dbs_check": False,
    },
    {
        "slug": "writer-befriender",
        "order": 5,
        "strand": "writer-in-residence",
        "title": "Befriender for the writer in residence",
        "description": (
            "Be a friendly local face for a writer who has had to leave home: show them the "
            "city, share a coffee, and help with the everyday things of settling in."
        ),
        "time_commitment": "An hour or two a week, for at least six months",
        "needs_dbs_check": False,
    },
    {
        "slug": "office-help",
        "order": 6,
        "strand": None,
        "title": "Office help",
        "description": (
            "Keep the programme running: mailings, keeping our lists of partners and events up "
            "to date, and a hand with the paperwork that every project brings."
        ),
        "time_commitment": "Half a day a week",
        "needs_dbs_check": False,
    },
]


def load() -> int:
    """Create or update the demo roles; return how many there are."""
    from programme.models import Strand
    from volunteers.models import VolunteerRole

    for fields in ROLES:
        strand_slug = fields["strand"]
        strand = Strand.objects.filter(slug=strand_slug).first() if strand_slug else None
        VolunteerRole.objects.update_or_create(
            slug=fields["slug"], defaults=fields | {"strand": strand}
        )
    return VolunteerRole.objects.count()
