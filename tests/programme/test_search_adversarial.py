"""Issue 14's search, attacked: what it must never reveal (a draft strand, a closed role, a
withheld venue, a hidden writer) through a hit, a count, a prefix or a "Did you mean", and
addresses a hostile visitor makes up (repeated, arrays, NUL, other kinds) that must neither
break the page nor poison the page cache between kinds or languages."""

import pytest
from django.core.cache import caches

from core.search import search, suggest
from events.models import LocationMode
from tests.events.factories import EventFactory, VenueFactory
from tests.programme.factories import StrandFactory, WriterFactory
from tests.volunteers.factories import VolunteerRoleFactory

pytestmark = pytest.mark.django_db

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def found(query, **kwargs):
    outcome = search(query, **kwargs)
    return outcome.total, [result.title for result in outcome.page.object_list]


@pytest.fixture
def caches_on(settings):
    """The page cache and the fragments on, over private in-memory caches."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": LOCMEM, "LOCATION": "search-adversarial-default"},
        "fragments": {"BACKEND": LOCMEM, "LOCATION": "search-adversarial-fragments"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    settings.FRAGMENT_CACHE_SECONDS = 300
    caches["default"].clear()
    caches["fragments"].clear()
    yield
    caches["default"].clear()
    caches["fragments"].clear()


# ---------------------------------------------------------------- nothing unpublished leaks
@pytest.mark.parametrize(
    "strand_state", [{"status": "draft"}, {"publish_from": "2999-01-01T00:00Z"}], ids=str
)
def test_a_role_does_not_reveal_its_unpublished_strands_title(strand_state):
    """A role is public; the strand it belongs to may not be yet. Searching the strand's
    secret title must find nothing: no hit, no count, no prefix hit."""
    strand = StrandFactory(title="Quillwort Expedition", **strand_state)
    VolunteerRoleFactory(title="Bookbinder", slug="bookbinder", strand=strand)
    assert found("quillwort") == (0, [])
    assert found("quillwo") == (0, [])  # the prefix search
    assert found("bookbinder")[1] == ["Bookbinder"]  # the role itself stays findable
    published = StrandFactory(title="Lighthouse Strand")
    VolunteerRoleFactory(title="Lamp keeper", slug="lamp-keeper", strand=published)
    assert "Lamp keeper" in found("lighthouse")[1]


def test_a_closed_role_is_never_found_counted_or_suggested():
    VolunteerRoleFactory(title="Zarzuela prompter", slug="zarzuela", is_active=False)
    assert found("zarzuela") == (0, [])
    assert found("zarzue") == (0, [])
    assert suggest("zarzuella") == ""


def test_a_withheld_venue_is_never_found_counted_or_suggested():
    venue = VenueFactory(name="Quenby Safehouse", address="7 Vellacott Yard\nNorwich")
    EventFactory(
        title="A reading in private",
        location=LocationMode.ON_BOOKING,
        venue=venue,
        booking="link",
        booking_url="https://tickets.example.org/private",
        summary="Where is said on booking.",
    )
    for query in ("quenby", "safehouse", "vellacott", "vellacot"):
        assert found(query) == (0, []), query
    assert suggest("vellacot") == ""
    assert suggest("quenbi") == ""


def test_a_hidden_or_unconsented_writer_is_not_found_by_prefix_or_count():
    WriterFactory(name="Ysolde Marchetti", visibility="hidden")
    WriterFactory(name="Ysolde Brightwater", consent_recorded_on=None)
    for query in ("ysolde", "ysold", "marchetti", "brightwat"):
        assert found(query) == (0, []), query
    for kind in ("writer", "writing", ""):
        assert search("ysolde", kind=kind).counts == []


# ---------------------------------------------------------------- made-up addresses
@pytest.mark.parametrize(
    "query",
    [
        "q=orchard&kind=%00",
        "q=orchard&kind=" + "event" * 500,
        "q=orchard&kind[]=event",
        "q=orchard&kind=EVENT",
        "q=orchard&kind=%E2%80%AEevent",
        "q=orchard&page=%00",
        "q=orchard&page=99999999999999999999999",
        "q=orchard&page=-1",
    ],
)
def test_made_up_kinds_and_pages_show_every_kind_never_an_error(client, query):
    EventFactory(title="Orchard reading")
    response = client.get(f"/search/?{query}")
    assert response.status_code == 200
    assert "Orchard reading" in response.content.decode()


def test_repeated_parameters_are_read_as_the_page_cache_keys_them(client, caches_on):
    """The page is kept under the last of each repeated parameter: the page shown for a
    repeated address is the one for those last values, whichever comes first in the cache."""
    EventFactory(title="Orchard reading")
    WriterFactory(name="Orchard Writer")
    narrowed = client.get("/search/?q=nothing&q=orchard&kind=writers&kind=event")
    html = narrowed.content.decode()
    assert "Orchard reading" in html
    assert "Orchard Writer</a>" not in html
    every = client.get("/search/?q=orchard").content.decode()
    assert "Orchard reading" in every
    assert "Orchard Writer" in every
    again = client.get("/search/?kind=event&q=orchard").content.decode()
    assert "Orchard Writer</a>" not in again


def test_kinds_and_languages_never_share_a_kept_page(client, caches_on):
    EventFactory(title="Orchard reading")
    WriterFactory(name="Orchard Writer")
    for _round in range(2):  # the second round is answered from the page cache
        events = client.get("/search/", {"q": "orchard", "kind": "event"})
        assert "Orchard Writer</a>" not in events.content.decode()
        everything = client.get("/search/", {"q": "orchard"}).content.decode()
        assert "Orchard Writer" in everything
        arabic = client.get("/ar/search/", {"q": "orchard"})
        assert arabic["Content-Language"] == "ar"
        assert 'lang="ar"' in arabic.content.decode()
        unknown = client.get("/search/", {"q": "orchard", "kind": "nonsense"})
        assert "Orchard Writer" in unknown.content.decode()


@pytest.mark.parametrize("control", ["\u202e", "\u202b", "\u2067", "\u2069"])
def test_a_bidi_override_in_the_query_cannot_reorder_the_page(client, control):
    """A link to /search/?q=%E2%80%AE… would otherwise print the override inside "Nothing
    matched “…”" and turn the rest of the sentence around: it is searched without it."""
    EventFactory(title="Orchard reading")
    response = client.get("/search/", {"q": f"{control}orchard{control}"})
    html = response.content.decode()
    assert control not in html
    assert "Orchard reading" in html
    nothing = client.get("/search/", {"q": f"{control}gnp.exe"}).content.decode()
    assert control not in nothing
    assert "Nothing matched “gnp.exe”" in nothing
