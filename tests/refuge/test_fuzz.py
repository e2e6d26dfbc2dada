"""Property-based fuzzing of every public form, query parameter and URL (hypothesis).

Whatever a visitor or a robot sends, the portal answers without a server error
and stores nothing from input it rejected. Well over 1,000 generated inputs.

The URLs are read from the resolver itself, so a route added tomorrow is fuzzed
too: each of its variable parts (a slug, a year, a token, an admin object id) gets
hostile values, for an anonymous visitor.
"""

import re
from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from volunteers.models import VolunteerApplication

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FUZZ = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI failures are reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Anything a browser can send: any unicode (NUL and control characters included),
# long strings, numbers in odd shapes.
junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(["", " ", "0", "-1", "abc", "%", "\x00", "'; DROP TABLE x; --", "<script>",
                     "2026-02-30", "9" * 400, "../../etc/passwd", "javascript:alert(1)"]),
)  # fmt: skip


def assert_no_server_error(response):
    assert response.status_code < 500, response.status_code


@pytest.fixture
def demo(demo_content, settings):
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RATE_LIMIT": 100_000}
    settings.REDIS_URL = ""


@FUZZ
@given(q=junk, page=junk)
def test_search_never_fails(client, demo, q, page):
    assert_no_server_error(client.get("/search/", {"q": q, "page": page}))


@FUZZ
@given(strand=junk, audience=junk, kind=junk, free=junk, page=junk)
def test_event_filters_never_fail(client, demo, strand, audience, kind, free, page):
    response = client.get(
        "/events/", {"strand": strand, "audience": audience, "type": kind, "free": free,
                     "page": page},
    )  # fmt: skip
    assert_no_server_error(response)
    assert_no_server_error(client.get("/events/past/", {"page": page}))


@FUZZ
@given(year=junk, month=junk, day=junk, on=junk)
def test_calendar_urls_and_dates_never_fail(client, demo, year, month, day, on):
    from urllib.parse import quote

    year, month, day = (quote(part, safe="") or "x" for part in (year, month, day))
    assert_no_server_error(client.get(f"/events/calendar/{year}/{month}/"))
    assert_no_server_error(client.get(f"/events/calendar/{year}/{month}/{day}/"))
    assert_no_server_error(client.get("/events/strangers-and-canaries-workshops/", {"on": on}))


@FUZZ
@given(
    name=junk, email=junk, phone=junk, area=junk, roles=st.lists(junk, max_size=3),
    languages=junk, availability=st.lists(junk, max_size=3), message=junk, dbs=junk,
    adult=junk, consent=junk, website=junk, ticket=junk,
)  # fmt: skip
def test_the_volunteer_form_never_fails_and_keeps_nothing_it_rejects(
    client, demo, name, email, phone, area, roles, languages, availability, message, dbs,
    adult, consent, website, ticket,
):  # fmt: skip
    before = VolunteerApplication.objects.count()
    response = client.post(
        "/volunteer/apply/",
        {"name": name, "email": email, "phone": phone, "area": area, "roles": roles,
         "languages": languages, "availability": availability, "message": message,
         "dbs_check": dbs, "is_adult": adult, "consent": consent, "website": website,
         "ticket": ticket},
    )  # fmt: skip
    assert_no_server_error(response)
    if response.status_code != 302:
        assert VolunteerApplication.objects.count() == before


@FUZZ
@given(
    name=junk,
    email=junk,
    phone=junk,
    area=junk,
    languages=junk,
    message=junk,
    dbs=junk,
)
def test_the_volunteer_form_with_a_valid_ticket_validates_every_field(
    client, demo, name, email, phone, area, languages, message, dbs
):
    """With a genuine form ticket the input reaches every field's own validation."""
    from tests.volunteers.conftest import old_ticket
    from volunteers.models import VolunteerRole

    role = VolunteerRole.objects.first()
    before = VolunteerApplication.objects.count()
    response = client.post(
        "/volunteer/apply/",
        {"name": name, "email": email, "phone": phone, "area": area, "roles": [role.pk],
         "languages": languages, "availability": ["weekends"], "message": message,
         "dbs_check": dbs, "is_adult": "on", "consent": "on", "website": "",
         "ticket": old_ticket()},
    )  # fmt: skip
    assert_no_server_error(response)
    if response.status_code == 200:  # shown again with errors
        assert VolunteerApplication.objects.count() == before


# ---------------------------------------------------------------- every URL pattern

SLOT = None  # where a route takes a value


def _route_pieces(route: str) -> list:
    """``writers/<uslug:slug>/`` → ["writers/", SLOT, "/"]."""
    pieces = []
    for index, literal in enumerate(re.split(r"<[^>]+>", route)):
        if index:
            pieces.append(SLOT)
        pieces.append(literal)
    return pieces


def _regex_pieces(regex: str) -> list:
    """``^(?P<app_label>auth|events)/$`` → [SLOT, "/"]: each outermost group is a slot."""
    regex = regex.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
    pieces, literal, depth, index = [], "", 0, 0
    while index < len(regex):
        char = regex[index]
        if char == "\\" and depth == 0:
            literal += regex[index + 1]
            index += 2
            continue
        if char == "(":
            if depth == 0:
                pieces += [literal, SLOT]
                literal = ""
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            literal += char
        index += 1
    return [*pieces, literal]


def url_patterns(patterns=None, prefix=()):
    """Every endpoint the resolver knows, as a tuple of literal pieces and SLOTs."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = str(entry.pattern)
        if isinstance(entry.pattern, RoutePattern):
            pieces = prefix + tuple(_route_pieces(pattern))
        else:
            pieces = prefix + tuple(_regex_pieces(pattern))
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry.url_patterns, pieces)
        else:
            yield pieces


def fill(pieces, values) -> str:
    """The address with each slot given the next value (percent-encoded, as a browser would)."""
    values = iter(values)
    return "/" + "".join(
        quote(next(values), safe="") if piece is SLOT else piece for piece in pieces
    )


ROUTES = list(url_patterns())
ROUTES_WITH_SLOTS = [route for route in ROUTES if SLOT in route]
# What each slot gets in the sweep below: a NUL byte, numbers no calendar or primary key
# holds, other scripts, path tricks, a very long segment, SQL and markup.
HOSTILE_SEGMENTS = [
    "\x00", "a\x00b", "9" * 25, "-1", "0", "..", "%", " ", "écrivaine", "كاتبة", "作家",
    "🙂", "a" * 2000, "'; DROP TABLE x; --", "<script>", "a.b", "a\nb",
]  # fmt: skip


def test_the_resolver_is_walked_whole():
    """The walk finds the public routes and the admin's, slots in the right places."""
    addresses = {fill(route, ["X"] * route.count(SLOT)) for route in ROUTES}
    for expected in (
        "/writers/X/",
        "/programme/X/X/",
        "/events/calendar/X/X/X/",
        "/events/feed/X.ics",
        "/events/X.ics",
        "/pages/X/",
        "/volunteer/confirm/X/",
        "/admin/programme/writer/X/change/",
        "/admin/X/",
    ):
        assert expected in addresses
    assert len(ROUTES_WITH_SLOTS) > 50


def test_every_url_pattern_answers_hostile_segments_without_a_server_error(client, demo):
    """Every route, every slot, every hostile value above: never a server error."""
    client.raise_request_exception = False  # collect every failure, not only the first
    failures = []
    for route in ROUTES_WITH_SLOTS:
        for value in HOSTILE_SEGMENTS:
            address = fill(route, [value] * route.count(SLOT))
            status = client.get(address).status_code
            if status >= 500:
                failures.append((address[:120], status))
    assert not failures


# A segment as a robot might send it: anything, short or long, any script.
segment = st.one_of(
    st.text(min_size=1, max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(HOSTILE_SEGMENTS),
)


@settings(FUZZ, max_examples=300)
@given(route=st.sampled_from(ROUTES_WITH_SLOTS), values=st.lists(segment, min_size=3, max_size=3))
def test_url_patterns_never_fail_on_generated_segments(client, demo, route, values):
    assert_no_server_error(client.get(fill(route, values)))
