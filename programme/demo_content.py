"""The demo content, written from the programme's own description of itself.

Loaded by ``manage.py load_demo``. Every record is keyed by its slug, so
loading again updates in place and never duplicates.
"""

import datetime

from django.conf import settings

STRANDS = [
    {
        "slug": "community-programme",
        "order": 1,
        "title": "Community Programme",
        "summary": (
            "Launched in June 2006: the Strangers and Canaries project for young people, "
            "competitions, a library project and training and workshop opportunities."
        ),
        "body": (
            "<p>Our Community Programme launched in June 2006 and comprises the Strangers and "
            "Canaries project (for young people), competitions, a library project and various "
            "training and workshop opportunities.</p>"
            "<p>It is a comprehensive and ever evolving programme and we work with a wide range "
            'of local partners. Check our <a href="/events/">Calendar of Events</a> for new '
            "opportunities and events.</p>"
        ),
        # Draft translations for the demonstration (issue 16, layer 3), not reviewed by a
        # native speaker. The Persian has no body yet, so /fa/ shows the English body with
        # the "not yet translated" note; the other strands are English only.
        "title_ar": "البرنامج المجتمعي",
        "summary_ar": (
            "انطلق في يونيو 2006: مشروع «الغرباء والكناري» للشباب، ومسابقات، ومشروع "
            "للمكتبة، وفرص للتدريب وورش العمل."
        ),
        "body_ar": (
            "<p>انطلق برنامجنا المجتمعي في يونيو 2006، ويضم مشروع «الغرباء والكناري» "
            "للشباب، ومسابقات، ومشروعًا للمكتبة، وفرصًا متنوعة للتدريب وورش العمل.</p>"
        ),
        "title_fa": "برنامهٔ اجتماعی",
        "summary_fa": (
            "آغاز در ژوئن 2006: پروژهٔ «غریبه‌ها و قناری‌ها» برای جوانان، مسابقه‌ها، "
            "پروژهٔ کتابخانه و فرصت‌های آموزش و کارگاه."
        ),
    },
    {
        "slug": "writer-in-residence",
        "order": 2,
        "title": "Writer in Residence",
        "summary": (
            "Hosting a politically exiled writer who has been denied freedom of speech in their "
            "home country. Our first writer, Jiao Guobiao, arrived in February 2008."
        ),
        "body": (
            "<p>As a member of the International Cities of Refuge Network (ICORN), the city "
            "offers residency to a writer who has been denied freedom of speech in their home "
            "country.</p>"
            "<p>Norwich’s first exiled Writer in Residence, Jiao Guobiao, arrived in Norwich in "
            "February 2008.</p>"
        ),
    },
    {
        "slug": "shahrazad",
        "order": 3,
        "title": "Shahrazad",
        "summary": (
            "Shahrazad – stories for life: bringing the stories of persecuted writers to young "
            "audiences through schools, creative workshops and digital media."
        ),
        "body": (
            "<p><em>Shahrazad – stories for life</em> was an ICORN project funded by the "
            "European Union’s Culture 2007 programme, running from 2008 to 2012 in six cities: "
            "Norwich, Stockholm, Barcelona, Brussels, Frankfurt and Stavanger.</p>"
            "<p>It brought the stories of persecuted writers to young audiences through schools, "
            "creative workshops and digital media. In Norwich, pupils of four Norfolk schools "
            "wrote “Letters to Europe” and made two-minute digital stories that were shown "
            "during Refugee Week.</p>"
        ),
    },
]

PROJECTS = [
    {
        "strand": "community-programme",
        "slug": "strangers-and-canaries",
        "order": 1,
        "title": "Strangers and Canaries",
        "audiences": ["young-people", "schools", "writers"],
        "age_range": "11–18",
        "cost": "Free",
        "summary": (
            "Exiled and refugee writers work alongside local writers with young people in "
            "Norfolk schools and youth groups."
        ),
        "body": (
            "<p>Strangers and Canaries pairs exiled and refugee writers with local writers in "
            "Norfolk schools and youth groups, where young people write, perform and share their "
            "own stories of belonging.</p>"
            "<p>The project’s name recalls the ‘Strangers’: Protestant refugees from the Low "
            "Countries who settled in Norwich in the 16th century, revived the city’s textile "
            "trade and bred the canaries that gave Norwich City Football Club its "
            "nickname.</p>"
        ),
        "how_to_take_part": (
            "Schools and youth groups can ask for a visit; young people can join the open "
            "workshops listed in our Calendar of Events."
        ),
    },
    {
        "strand": "community-programme",
        "slug": "competitions",
        "order": 2,
        "title": "Competitions",
        "audiences": ["young-people", "adults"],
        "cost": "Free to enter",
        "summary": (
            "A young poets’ competition on the theme of refuge, and a short-story competition "
            "run with the local paper."
        ),
        "body": (
            "<p>Our competitions invite new writing on refuge, exile and welcome: a young "
            "poets’ competition on the theme of refuge, and a short-story competition run with "
            "the local paper.</p>"
        ),
        "how_to_take_part": "Deadlines and entry details are listed in our Calendar of Events.",
    },
    {
        "strand": "community-programme",
        "slug": "library-project",
        "order": 3,
        "title": "Library project",
        "audiences": ["adults", "families"],
        "cost": "Free",
        "summary": (
            "Bringing the writing of exiled and persecuted authors to the shelves and reading "
            "groups of our libraries."
        ),
        "body": (
            "<p>The library project works with local libraries to bring the writing of exiled "
            "and persecuted authors to readers across the city, through collections, displays "
            "and reading groups.</p>"
        ),
        "how_to_take_part": "Join a reading group or volunteer to help with the project.",
    },
    {
        "strand": "community-programme",
        "slug": "training-and-workshops",
        "order": 4,
        "title": "Training and workshops",
        "audiences": ["adults", "writers"],
        "cost": "Free or low cost",
        "summary": (
            "Creative writing workshops, film poems and training for people who work with "
            "writers and young people."
        ),
        "body": (
            "<p>Our training and workshop opportunities range from creative writing and film "
            "poems to training for teachers, librarians and volunteers, and events during "
            "Refugee Week.</p>"
        ),
        "how_to_take_part": "See the Calendar of Events for dates and how to book.",
    },
    {
        "strand": "shahrazad",
        "slug": "letters-to-europe",
        "order": 1,
        "title": "Letters to Europe",
        "audiences": ["young-people", "schools"],
        "start_date": datetime.date(2008, 9, 1),
        "end_date": datetime.date(2012, 8, 31),
        "summary": (
            "Pupils of four Norfolk schools wrote letters to Europe and made two-minute digital "
            "stories shown during Refugee Week."
        ),
        "body": (
            "<p>As part of <em>Shahrazad – stories for life</em>, pupils from four Norfolk "
            "schools wrote “Letters to Europe” and made two-minute digital stories, which were "
            "shown during Refugee Week.</p>"
        ),
    },
]

WRITERS = [
    {
        "slug": "jiao-guobiao",
        "name": "Jiao Guobiao",
        "visibility": "public",
        "consent_recorded_on": datetime.date(2008, 2, 1),
        "consent_scope": "Name, residency dates and biography, as published by the programme.",
        "residency_start": datetime.date(2008, 2, 1),
        "residency_end": datetime.date(2009, 1, 31),
        "summary": "Norwich’s first exiled Writer in Residence, who arrived in February 2008.",
        "strand": "writer-in-residence",
        "country_of_origin": "China",
        "show_country": True,
        "languages": ["Chinese"],
        "genres": ["essays", "journalism"],
        "biography": (
            "<p>Jiao Guobiao was Norwich’s first exiled Writer in Residence under the "
            "International Cities of Refuge Network, arriving in the city in February 2008.</p>"
        ),
    },
]

# A fictional writer and translators for the demo's writing, so no real person is credited
# with words they did not write. Their names say what they are.
DEMO_WRITER = {
    "slug": "demonstration-writer",
    "name": "Parvaneh (a demonstration writer)",
    "visibility": "public",
    "consent_recorded_on": datetime.date(2026, 1, 1),
    "consent_scope": "A fictional writer: the demo's own, to show how writings appear.",
    "summary": (
        "Not a real person: a writer invented for the demonstration, to show a text "
        "in its original Persian beside its English translation."
    ),
    "strand": "writer-in-residence",
    "languages": ["Persian", "English"],
    "genres": ["poetry"],
    "biography": (
        "<p>This profile is part of the portal’s demonstration content. Replace it with "
        "the writers your programme hosts, with their consent.</p>"
    ),
}
WRITERS.append(DEMO_WRITER)

DEMONSTRATION_NOTE = (
    "A demonstration: written for this portal’s demo content, not the work of a real writer "
    "or translator."
)

WRITINGS = [
    {
        "slug": "window",
        "writer": "demonstration-writer",
        "title": "Window",
        "kind": "poem",
        "year": 2026,
        "versions": [
            {
                "language": "fa",
                "is_original": True,
                "title": "پنجره",
                "text": (
                    "پنجره‌ای رو به دریا ندارم،\n"
                    "اما هر صبح\n"
                    "پرنده‌ای غریبه\n"
                    "نام شهرم را\n"
                    "از پشت شیشه صدا می‌زند.\n"
                    "\n"
                    "من جواب می‌دهم\n"
                    "به زبانی که هنوز\n"
                    "در دهانم خانه دارد."
                ),
                "rights_note": DEMONSTRATION_NOTE,
            },
            {
                "language": "en",
                "is_original": False,
                "title": "Window",
                "text": (
                    "I have no window facing the sea,\n"
                    "but every morning\n"
                    "a stranger bird\n"
                    "calls the name of my city\n"
                    "from behind the glass.\n"
                    "\n"
                    "I answer\n"
                    "in a language that still\n"
                    "keeps house in my mouth."
                ),
                "translator": "Sam Example (a fictional translator)",
                "bridge_translator": "Roya Example",
                "rights_note": DEMONSTRATION_NOTE,
            },
        ],
    },
]


def load_menus() -> bool:
    """The header and footer menus as the site has them built in, when there are none
    (after a test has emptied the tables); staff's own menus are left as they are."""
    from programme.menus import create_default_menus

    return create_default_menus()


def load_writings() -> int:
    """Create or update the demo writings and their versions (after the writers); return
    how many writings there are. Keyed by slug and language, so loading again updates in
    place."""
    from core.publishing import PublicationStatus
    from programme.models import Writer, Writing, WritingVersion

    for entry in WRITINGS:
        fields = {name: value for name, value in entry.items() if name != "versions"}
        writer = Writer.objects.get(slug=fields["writer"])
        writing, _created = Writing.objects.update_or_create(
            slug=fields["slug"],
            defaults=fields | {"writer": writer, "status": PublicationStatus.PUBLISHED},
        )
        versions = entry["versions"]
        for version in versions:
            WritingVersion.objects.update_or_create(
                writing=writing,
                language=version["language"],
                defaults=version | {"status": PublicationStatus.PUBLISHED},
            )
    return Writing.objects.count()


WORKS = [
    {
        "writer": "jiao-guobiao",
        "title": "Denounce the Central Propaganda Department",
        "year": 2004,
        "language": "Chinese",
    },
]

PARTNERS = [
    {"name": "The Urban Cultural Fund", "kind": "funder", "order": 1},
    {"name": "University of East Anglia", "kind": "partner", "order": 2,
     "url": "https://www.uea.ac.uk/"},
    {"name": "PEN UK", "kind": "partner", "order": 3, "url": "https://www.englishpen.org/"},
    {"name": "Paul Hamlyn Foundation", "kind": "funder", "order": 4,
     "url": "https://www.phf.org.uk/"},
    {"name": "Anguish’s Educational Trust", "kind": "funder", "order": 5},
    {"name": "ICORN – International Cities of Refuge Network", "kind": "network", "order": 6,
     "url": "https://www.icorn.org/",
     "description": "The network of cities offering residency to exiled writers, based in "
                    "Stavanger."},
]  # fmt: skip

PAGES = [
    {
        "slug": "about",
        "title": "Background to Norwich, City of Refuge",
        "summary": "How Cities of Refuge began, and how Norwich became the UK’s first.",
        "body": (
            "<p>The concept of a ‘City of Refuge’ is based on the Cities of Asylum that were "
            "founded by the International Parliament of Writers in 1993. Established by Salman "
            "Rushdie, Václav Havel, Margaret Drabble and Jacques Derrida among others, the "
            "parliament was created in response to the assassination of writers in Algeria.</p>"
            "<p>The International Parliament of Writers has since dissolved, but the scheme was "
            "left intact and has developed in over 30 cities across the world, including "
            "Stavanger, where the International Cities of Refuge Network (ICORN) is based. We "
            "were very proud to welcome the second ICORN General Assembly to Norwich in June "
            "2007.</p>"
            "<p>All of the initiatives running in Norwich will help to promote tolerance and "
            "understanding, and by joining this network, Norwich actively signals its "
            "commitment to free speech and anti-racism.</p>"
        ),
    },
    {
        "slug": "privacy",
        "title": "Privacy notice",
        "version": "1.2",
        "summary": "What personal data we hold, why, and your rights under UK GDPR.",
        "body": (
            "<p>We collect only the personal data we need to run the programme: for example, "
            "the details volunteers give us when they offer their time. We use it only for the "
            "purpose it was given for, never sell or share it for marketing, and delete it when "
            "it is no longer needed.</p>"
            "<p>Writers we host are presented only as they have agreed, and photographs we "
            "publish carry no hidden location data.</p>"
            "<p>Under UK GDPR you have the right to see the data we hold about you, to have it "
            "corrected or erased, and to withdraw consent at any time. To use these rights, "
            "contact us; you may also complain to the Information Commissioner’s Office.</p>"
            "<h2>Booking a place at an event</h2>"
            "<p>When you book a free place at one of our events, we keep your name, your email "
            "address, the number of places and the date you booked, to run your booking: to "
            "confirm it, send you its details, a reminder and any change, offer you a place from "
            "the waiting list, and know who to expect at the door. Our lawful basis is our "
            "legitimate interest in running events you have asked to come to (and, for the "
            "booking itself, taking the steps you asked us to take). We record when you agreed to"
            " this notice and which version it was.</p>"
            "<p>If you tell us about access needs, that may be information about your health, a "
            "special category of personal data: we keep it only with your explicit consent, given"
            " by writing it in the form, show it only to the staff running that event, and delete"
            " it 7 days after the date. You can leave it out and tell us at the door instead.</p>"
            "<p>For an event whose venue is private, we send the address only to people whose "
            "booking is confirmed, and we keep a record of each time we sent it, for as long as "
            "we keep the booking.</p>"
            "<p>We delete bookings whose email address was never confirmed after 2 days, and "
            "every booking's name and email address 90 days after the date, keeping only "
            "anonymous counts (how many booked and came). You can cancel a booking with the link "
            "in our emails at any time, and ask us to erase your bookings sooner.</p>"
            "<h2>Writing to us through the contact page</h2>"
            "<p>When you send us a message through our contact page, we keep your name, your "
            "email address, the subject and your message, and when you agreed to this notice, "
            "only to answer you. We delete it 180 days after we have dealt with it (or 180 days "
            "after it arrived). It is included if you ask for a copy of your data, and erased "
            "if you ask us to.</p>"
        ),
    },
    {
        "slug": "accessibility",
        "title": "Accessibility statement",
        "summary": "How accessible this website is, and how to tell us about a problem.",
        "body": (
            "<p>We want everyone to be able to use this website. It is designed to meet the Web "
            "Content Accessibility Guidelines (WCAG) 2.2 at level AA: you can navigate by "
            "keyboard alone, use a screen reader, zoom to 400% and read every page on a "
            "phone.</p>"
            "<p>Every page is checked with automated accessibility tests in a real browser "
            "before each release. If you find something that does not work for you, please "
            "contact us and we will put it right.</p>"
        ),
    },
    {
        "slug": "contact",
        "title": "Contact us",
        "summary": "How to reach the City of Refuge team.",
        "body": (
            "<p>If you would like to get involved with any part of the City of Refuge "
            "programme, book a place at an event or ask about our work, we would be glad to "
            "hear from you. Our email address and postal address are at the foot of every "
            "page.</p>"
        ),
    },
]

HOMEPAGE = {
    "heading": "Norwich, City of Refuge",
    "introduction": (
        "<p>In June 2007 Norwich became the UK’s first City of Refuge, joining the "
        "International Cities of Refuge Network (ICORN): an international network of cities "
        "offering residency to politically exiled writers who have been denied freedom of "
        "speech in their home countries.</p>"
        "<p>Norwich, City of Refuge is made up of three main strands: the community programme, "
        "hosting an exiled writer and the Shahrazad programme.</p>"
    ),
    # Draft translations of the heading and introduction for the demonstration (not
    # reviewed by a native speaker); the call to volunteer stays English, with the note.
    "heading_ar": "نورويتش، مدينة اللجوء",
    "introduction_ar": (
        "<p>في يونيو 2007 أصبحت نورويتش أول مدينة لجوء في المملكة المتحدة، وانضمت إلى الشبكة "
        "الدولية لمدن اللجوء (ICORN): شبكة دولية من المدن تستضيف كتّابًا منفيين سياسيًا "
        "حُرموا من حرية التعبير في بلدانهم.</p>"
    ),
    "heading_fa": "نوریچ، شهر پناه",
    "introduction_fa": (
        "<p>در ژوئن 2007 نوریچ نخستین شهر پناه بریتانیا شد و به شبکهٔ بین‌المللی شهرهای پناه "
        "(ICORN) پیوست: شبکه‌ای بین‌المللی از شهرهایی که به نویسندگان تبعیدی، که در کشور "
        "خود از آزادی بیان محروم بوده‌اند، اقامت می‌دهند.</p>"
    ),
    "volunteer_heading": "Get involved",
    "volunteer_text": (
        "If you would like to get involved with any part of the City of Refuge programme, we "
        "are always open to volunteers: stewarding events, mentoring young writers, "
        "translating, helping with the library project or befriending our writer."
    ),
}


# ---------------------------------------------------------------- demo pictures

# The palette of static/css/portal.css.
PALETTE = {
    "paper": (251, 248, 241),
    "paper_deep": (241, 235, 221),
    "ink": (31, 29, 26),
    "teal": (11, 93, 86),
    "teal_dark": (7, 63, 58),
    "canary": (245, 197, 24),
    "night": (27, 42, 58),
}
BACKGROUNDS = ("teal", "night", "paper_deep", "teal_dark")
DRAWING = "A drawing: a canary perched on an open book, among letters of many scripts."


def demo_image(seed: str, *, size: tuple[int, int] = (960, 640)):
    """A picture for a demo record, drawn from the palette: the same `seed`, the same
    picture (an open book, a canary, strokes of many scripts). A PNG in a ContentFile, so
    it goes through the image pipeline like an upload (renditions, no metadata)."""
    import hashlib
    import io
    import random

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    rng = random.Random(hashlib.sha256(seed.encode()).digest())  # noqa: S311 (a drawing)
    width, height = size
    background = PALETTE[rng.choice(BACKGROUNDS)]
    dark = background != PALETTE["paper_deep"]
    line = PALETTE["paper"] if dark else PALETTE["ink"]
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    # A low sun behind it all.
    r = rng.randint(height // 4, height // 2)
    cx, cy = rng.randint(width // 2, width - r // 2), rng.randint(r // 2, height // 2)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=PALETTE["paper_deep"] if dark else "white")
    # Strokes of many scripts, scattered.
    for _ in range(rng.randint(10, 16)):
        x, y, s = rng.randint(0, width), rng.randint(0, height // 2), rng.randint(18, 40)
        kind = rng.randrange(3)
        if kind == 0:  # a cross-stroke, as in 文
            draw.line((x - s, y, x + s, y), fill=line, width=6)
            draw.line((x - s, y + s, x + s // 2, y - s // 2), fill=line, width=6)
        elif kind == 1:  # a curve, as in ع
            draw.arc(
                (x - s, y - s, x + s, y + s),
                rng.randint(0, 90),
                rng.randint(200, 300),
                fill=PALETTE["canary"],
                width=7,
            )
        else:  # a stem and a bowl, as in Ж or b
            draw.line((x, y - s, x, y + s), fill=line, width=6)
            draw.arc((x, y - s // 2, x + s, y + s // 2), 270, 90, fill=line, width=6)
    # An open book across the bottom.
    bx, by, bw, bh = width // 6, int(height * 0.58), int(width * 0.66), int(height * 0.3)
    mid = bx + bw // 2
    draw.polygon(
        [(bx, by + 20), (mid, by + 50), (mid, by + bh), (bx, by + bh - 25)],
        fill=PALETTE["paper"],
        outline=PALETTE["ink"],
        width=5,
    )
    draw.polygon(
        [(mid, by + 50), (bx + bw, by + 20), (bx + bw, by + bh - 25), (mid, by + bh)],
        fill=PALETTE["paper"],
        outline=PALETTE["ink"],
        width=5,
    )
    for row in range(1, 4):
        y = by + 30 + row * (bh - 60) // 4
        draw.line((bx + 25, y, mid - 25, y + 18), fill=PALETTE["teal"], width=6)
        draw.line((mid + 25, y + 18, bx + bw - 25, y), fill=PALETTE["teal"], width=6)
    # A canary perched on the page.
    kx = rng.randint(bx + bw // 5, bx + 4 * bw // 5)
    ky = by - 40
    draw.ellipse(
        (kx - 70, ky - 45, kx + 60, ky + 45),
        fill=PALETTE["canary"],
        outline=PALETTE["ink"],
        width=5,
    )
    draw.ellipse(
        (kx + 10, ky - 95, kx + 80, ky - 25),
        fill=PALETTE["canary"],
        outline=PALETTE["ink"],
        width=5,
    )
    draw.polygon([(kx + 78, ky - 68), (kx + 105, ky - 58), (kx + 78, ky - 50)], fill=PALETTE["ink"])
    draw.ellipse((kx + 50, ky - 72, kx + 60, ky - 62), fill=PALETTE["ink"])
    draw.arc((kx - 50, ky - 20, kx + 30, ky + 30), 20, 160, fill=PALETTE["ink"], width=5)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{seed}.png")


def illustrate(record, *, seed: str, alt: str) -> None:
    """Give a demo record its drawn picture, once (a second load keeps the first).

    ``DEMO_PICTURES = False`` (the test suite's default) skips the drawing: it is most of
    load_demo's time, and only the tests about pictures need it."""
    if record.image or not settings.DEMO_PICTURES:
        return
    record.image = demo_image(seed)
    record.image_alt = alt
    record.save()
