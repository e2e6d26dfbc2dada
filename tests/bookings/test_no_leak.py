"""A venue announced on booking reaches no public output, no cache and nothing at rest.

One event booked on the site at a private venue with a distinctive address, people
booked and emails waiting in the outbox. Then, as an anonymous visitor (in every
interface language), every public address the site has is fetched, twice, plain and
gzipped, so the page cache, the fragment caches and the kept documents all fill; every
answer, every cache entry (unpickled, unzipped), every table of the database but the
venues' own, and the log are searched for each part of the address. None may hold one.
"""

import base64
import contextlib
import datetime
import gzip
import logging
import pickle
import zlib
from urllib.parse import quote, quote_plus

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponseBase
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from bookings import services
from bookings.models import Booking, BookingEmail, BookingStatus, EmailKind
from events.models import LocationMode
from tests.bookings.factories import BookableEventFactory, BookingFactory
from tests.events.factories import VenueFactory, soon
from tests.programme.factories import StrandFactory
from volunteers.models import QueuedEmail

pytestmark = pytest.mark.django_db

# Each part of the private address, as a visitor could recognise it.
SECRET = {
    "name": "Marrowfield Lodge",
    "street": "14 Quillimore Passage",
    "area": "Thorpe Hamlet",
    "postcode": "NR5 8QX",
    "access": "Ramp behind the Quillimore gate",
    "website": "https://marrowfield-lodge.example.org/",
}
NEEDLES = [
    "Marrowfield",
    "Quillimore",
    "Thorpe Hamlet",
    "NR5 8QX",
    "NR58QX",
    "NR5+8QX",
    "NR5%208QX",
    "marrowfield-lodge",
]
TITLE = "Nightingale reading with our writer"

# Addresses that are not the public's, or that take no GET.
NOT_PUBLIC = ("admin", "healthz", "bookings:confirm", "bookings:manage", "bookings:ics")


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


def _texts_of_bytes(raw: bytes, depth: int):
    for unzip in (gzip.decompress, zlib.decompress):
        with contextlib.suppress(OSError, zlib.error, EOFError):
            yield from texts(unzip(raw), depth + 1)
    try:
        value = pickle.loads(raw)  # noqa: S301 (the test's own cache)
    except Exception:  # not a pickle: read it as text
        yield raw.decode("utf-8", "replace")
    else:
        yield from texts(value, depth + 1)


def texts(value, depth=0):
    """Every piece of text inside a kept value: strings, bytes (unzipped when zipped,
    unpickled when pickled), responses, containers and objects' attributes."""
    if depth > 12:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes | bytearray | memoryview):
        yield from _texts_of_bytes(bytes(value), depth)
    elif isinstance(value, HttpResponseBase):
        yield from texts([getattr(value, "content", b""), dict(value.headers)], depth + 1)
    elif isinstance(value, dict):
        yield from texts([*value.keys(), *value.values()], depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from texts(item, depth + 1)
    elif hasattr(value, "__dict__") or hasattr(value, "__slots__"):
        attributes = dict(getattr(value, "__dict__", {}))
        for name in getattr(type(value), "__slots__", ()):
            attributes[name] = getattr(value, name, None)
        yield from texts(attributes, depth + 1)


def cache_entries(alias: str) -> list:
    """Every raw value kept in a cache, as its configured backend allows reading them."""
    cache = caches[alias]
    backend = settings.CACHES[alias]["BACKEND"]
    if backend.endswith("LocMemCache"):
        return list(cache._cache.values())
    if backend.endswith("DatabaseCache"):
        table = connection.ops.quote_name(cache._table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key, value FROM {table}")  # noqa: S608 (our table)
            return [(key, base64.b64decode(value)) for key, value in cursor.fetchall()]
    if backend.endswith("RedisCache"):
        client = cache._cache.get_client()
        return [client.get(key) for key in client.scan_iter(f"{cache.key_prefix}*")]
    pytest.fail(f"This test cannot read a {backend} cache: teach it.")


def database_rows() -> dict[str, list[str]]:
    """Each table's rows as text, but the venues' own (where the address belongs)."""
    tables = set(connection.introspection.table_names()) - {"events_venue"}
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(tables):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT CAST(t AS text) FROM {quoted} AS t")  # noqa: S608
            rows[table] = [row[0] for row in cursor.fetchall()]
    return rows


def public_addresses(event, occurrence) -> list[str]:
    """Every address of the site a visitor can GET without arguments, in every language,
    and the ones with arguments that show this event."""
    names = []

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    plain = []
    for name in dict.fromkeys(names):
        if name.startswith(NOT_PUBLIC):
            continue
        with contextlib.suppress(NoReverseMatch):  # it needs arguments: given below
            plain.append(reverse(name))
    day = occurrence.local_start
    every_date = [
        address
        for date in event.occurrences.all()
        for address in (
            date.get_absolute_url(),
            reverse("bookings:book", kwargs={"occurrence": date.pk}),
        )
    ]
    with_arguments = [
        *every_date,
        event.get_absolute_url(),
        occurrence.get_absolute_url(),
        reverse("events:event_ics", kwargs={"slug": event.slug}),
        reverse("events:strand_feed", kwargs={"strand": event.strand.slug}),
        reverse("events:month", kwargs={"year": day.year, "month": day.month}),
        reverse("events:day", kwargs={"year": day.year, "month": day.month, "day": day.day}),
        event.strand.get_absolute_url(),
        reverse("bookings:book", kwargs={"occurrence": occurrence.pk}),
        f"{reverse('programme:search')}?q=Nightingale",
        f"{reverse('events:list')}?free=1",
        "/robots.txt",
        "/sitemap.xml",
    ]
    addresses = plain + with_arguments
    prefixes = [f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    translated = [
        f"{prefix}{address}"
        for prefix in prefixes
        for address in addresses
        if not address.startswith(("/admin", "/robots", "/sitemap", "/favicon", "/healthz"))
    ]
    return list(dict.fromkeys(addresses + translated))


@pytest.fixture
def private_event(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    for alias in settings.CACHES:
        caches[alias].clear()
    venue = VenueFactory(
        name=SECRET["name"],
        address=f"{SECRET['street']}\n{SECRET['area']}\nNorwich",
        postcode=SECRET["postcode"],
        accessibility_notes=SECRET["access"],
        website=SECRET["website"],
    )
    strand = StrandFactory(title="Shahrazad evenings")
    event = BookableEventFactory(
        title=TITLE,
        summary="An evening with the writer in residence.",
        strand=strand,
        location=LocationMode.ON_BOOKING,
        venue=venue,
        start=soon(5),
        end=soon(5) + datetime.timedelta(hours=2),
        rrule="FREQ=WEEKLY;COUNT=3",  # three dates, each with its own page
        venue_release_hours=None,  # the address goes with the confirmation
    )
    yield event
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def booked(private_event):
    """People booked (confirmed, held, waiting), with booking emails waiting in the outbox."""
    occurrence = private_event.occurrences.order_by("start").first()
    confirmed = BookingFactory(occurrence=occurrence, places=2, access_needs="Wheelchair user")
    BookingFactory(occurrence=occurrence, held=True)
    for kind in (EmailKind.CONFIRMED, EmailKind.REMINDER, EmailKind.VENUE, EmailKind.CHANGED):
        services.queue_email(booking=confirmed, kind=kind)  # mail not sent: the test's
        # transaction never commits, so they stay queued, at rest
    # And one through the visitor's own path: a booking made and confirmed.
    outcome = services.booking_submit(
        occurrence=occurrence,
        data={"name": "Samira Q", "email": "samira@example.org", "places": 1},
        submission_key="7b0c1c7e-8a6f-4b63-9a62-5cf5a8f1d001",
        privacy_notice_version="1.0",
    )
    services.booking_confirm_email(booking=outcome.booking)
    BookingFactory(occurrence=occurrence, waiting=True, access_needs="Quiet seat, please")
    assert Booking.objects.filter(status=BookingStatus.CONFIRMED).count() == 2
    assert BookingEmail.objects.unsent().count() >= 6
    return occurrence


def fetch_everything(client, addresses) -> list[str]:
    """GET each address twice (stored, then answered from the cache), plain and gzipped;
    fail on any leak; return the addresses whose answer shows the event."""
    seen_title = []
    for address in addresses:
        for encoding in ("", "gzip"):
            for _twice in (1, 2):
                response = client.get(address, HTTP_ACCEPT_ENCODING=encoding)
                body = b"".join(response) if response.streaming else response.content
                if response.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                text = body.decode("utf-8", "replace") + str(dict(response.headers))
                assert not leaks(text), (address, response.status_code, leaks(text))
                if TITLE in text:
                    seen_title.append(address)
    return seen_title


def test_no_public_output_cache_or_table_holds_the_private_address(client, booked, caplog):
    caplog.set_level(logging.DEBUG)
    event = booked.event
    addresses = public_addresses(event, booked)
    assert len(addresses) > 30
    seen_title = fetch_everything(client, addresses)
    # The event really was on these pages (the test looked where it should).
    for must in (event.get_absolute_url(), "/events/", "/events/rss/", "/events/feed.ics"):
        assert must in seen_title, must
    assert reverse("bookings:book", kwargs={"occurrence": booked.pk}) in seen_title
    assert "/sitemap.xml" in addresses

    # The venue's own words find nothing (the search page may repeat what was typed).
    search = reverse("programme:search")
    for words in ("Marrowfield", "Quillimore Passage", "NR5 8QX", "Thorpe Hamlet"):
        text = client.get(search, {"q": words}).content.decode()
        for typed in (words, quote_plus(words), quote(words)):  # the query, repeated
            text = text.replace(typed, "")
        assert TITLE not in text, words
        assert not leaks(text), words

    # Every cache entry, the page cache and the fragments (and kept documents) alike.
    entries = [(alias, value) for alias in settings.CACHES for value in cache_entries(alias)]
    assert len(entries) > 20, "the caches should have filled"
    for alias, value in entries:
        for text in texts(value):
            assert not leaks(text), (alias, leaks(text), text[:200])

    # The outboxes at rest, and every other table.
    assert BookingEmail.objects.unsent().exists()
    for row in [*BookingEmail.objects.values(), *QueuedEmail.objects.values()]:
        assert not leaks(repr(row)), row
    for table, rows in database_rows().items():
        for row in rows:
            assert not leaks(row), (table, row[:200])

    # And the log.
    assert not leaks(caplog.text)
