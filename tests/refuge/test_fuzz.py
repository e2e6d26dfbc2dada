"""Property-based fuzzing of every public form and query parameter (hypothesis).

Whatever a visitor or a robot sends, the portal answers without a server error
and stores nothing from input it rejected. Well over 1,000 generated inputs.
"""

import pytest
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
