"""Issue 14, attacked: the volunteer form's ``?role=``, the thanks page's cookie, "Send it
again" and "Start again", as a hostile visitor would use them.

The thanks page may only ever help the person who just sent the form: it must not become a
way to flood someone else's inbox, nor outlive its half hour.
"""

import re
import time

import pytest
from django.core import mail, signing

from tests.volunteers.factories import VolunteerApplicationFactory, VolunteerRoleFactory
from volunteers import thanks
from volunteers.models import VolunteerApplication

APPLY = "/volunteer/apply/"
THANKS = "/volunteer/thanks/"
VICTIM = "victim@example.org"

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """A client whose posts send their emails as the transaction commits, as in production."""
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def fresh_ticket() -> str:
    from tests.volunteers.conftest import old_ticket

    return old_ticket()


def mail_to(address: str) -> int:
    return sum(address in message.to for message in mail.outbox)


def checked_role_ids(html: str) -> set[str]:
    return {
        re.search(r'value="(\d+)"', tag).group(1)
        for tag in re.findall(r"<input[^>]*name=\"roles\"[^>]*>", html)
        if " checked" in tag
    }


# ---------------------------------------------------------------- ?role=
@pytest.mark.parametrize(
    "query",
    [
        "role=%00",
        "role=test-event-steward%00",
        "role=" + "x" * 5000,
        "role[]=test-event-steward",
        "role=%E2%80%AEtest-event-steward",
    ],
    ids=["nul", "slug-then-nul", "huge", "php-array", "rtl-override"],
)
def test_hostile_role_parameters_are_ignored_never_an_error(client, roles, query):
    response = client.get(f"{APPLY}?{query}")
    assert response.status_code == 200
    assert checked_role_ids(response.content.decode()) == set()


def test_hundreds_of_role_parameters_tick_only_open_roles(client, roles):
    closed = VolunteerRoleFactory(title="Closed role", slug="closed-role", is_active=False)
    slugs = [f"unknown-{n}" for n in range(500)] + [closed.slug, roles[0].slug]
    # The first twenty are read: an open role past them is not ticked, nothing breaks.
    response = client.get(APPLY, {"role": [roles[1].slug, closed.slug, *slugs]})
    assert response.status_code == 200
    assert checked_role_ids(response.content.decode()) == {str(roles[1].pk)}


# ---------------------------------------------------------------- "Send it again"
def test_send_it_again_from_many_networks_cannot_flood_one_inbox(client, form_data, settings):
    """Someone types a stranger's address, keeps the thanks cookie, and replays "Send it
    again" from address after address: the stranger gets a handful of emails, not one per
    network."""
    settings.VOLUNTEERS = {**settings.VOLUNTEERS, "RESEND_LIMIT": 3, "RESEND_WINDOW": 3600}
    client.post(APPLY, {**form_data, "email": VICTIM})
    assert mail_to(VICTIM) == 1
    for n in range(20):
        response = client.post(THANKS, {"action": "send-again"}, REMOTE_ADDR=f"198.51.100.{n}")
        assert response.status_code in {302, 429}
    assert mail_to(VICTIM) <= 1 + 3
    # The person who is refused is told so, kindly, with the page still naming the address.
    refused = client.post(THANKS, {"action": "send-again"}, REMOTE_ADDR="203.0.113.200")
    assert refused.status_code == 429
    assert "paused sending" in refused.content.decode()
    assert VICTIM in refused.content.decode()


def test_applying_again_and_again_from_many_networks_cannot_flood_one_inbox(
    client, form_data, settings
):
    """Each form with an address that has applied already sends "you have applied" to it:
    from many networks, with fresh tickets, that must still stop after a few."""
    VolunteerApplicationFactory(email=VICTIM)
    for n in range(20):
        response = client.post(
            APPLY, {**form_data, "email": VICTIM, "ticket": fresh_ticket()},
            REMOTE_ADDR=f"198.51.100.{n}",
        )  # fmt: skip
        assert response.status_code == 302  # the same thanks page: nothing is disclosed
    assert 1 <= mail_to(VICTIM) <= 3
    assert VolunteerApplication.objects.count() == 1


def test_send_it_again_does_not_keep_the_address_past_its_half_hour(client, form_data, monkeypatch):
    """Each "Send it again" re-signs the cookie; it must not restart the half hour, or a
    replayed cookie would name the address (and send to it) for ever."""
    client.post(APPLY, form_data)
    start = time.time()
    monkeypatch.setattr(signing.time, "time", lambda: start + 20 * 60)
    assert client.post(THANKS, {"action": "send-again"}).status_code == 302
    monkeypatch.setattr(signing.time, "time", lambda: start + 35 * 60)
    sent_before = len(mail.outbox)
    assert form_data["email"] not in client.get(THANKS).content.decode()
    client.post(THANKS, {"action": "send-again"})
    assert len(mail.outbox) == sent_before


# ---------------------------------------------------------------- "Start again"
def test_a_double_click_still_offers_start_again_for_the_application_it_made(client, form_data):
    """The second of two identical posts is the response the browser shows: its thanks
    page must still be able to withdraw the application the first one saved."""
    client.post(APPLY, form_data)
    second = client.post(APPLY, form_data)  # the same ticket: the double click
    assert second.status_code == 302
    assert VolunteerApplication.objects.count() == 1
    page = client.get(THANKS).content.decode()
    assert 'aria-describedby="start-again-help"' in page
    client.post(THANKS, {"action": "start-again"})
    assert not VolunteerApplication.objects.exists()


def test_start_again_after_applying_as_someone_else_never_erases_their_application(
    client, form_data
):
    """Typing the address of someone who has applied (unconfirmed) and then "Start again"
    must leave their application alone, double click or not."""
    theirs = VolunteerApplicationFactory(email=VICTIM, email_confirmed_at=None)
    client.post(APPLY, {**form_data, "email": VICTIM})
    client.post(APPLY, {**form_data, "email": VICTIM})
    client.post(THANKS, {"action": "start-again"})
    assert VolunteerApplication.objects.filter(pk=theirs.pk).exists()


def test_a_forged_or_other_salted_cookie_is_refused(client, form_data):
    application = VolunteerApplicationFactory(email=VICTIM, email_confirmed_at=None)
    payload = {"e": VICTIM, "a": application.public_id.hex, "r": [], "s": False}
    # Signed with the right key but another purpose's salt (a confirmation link's).
    client.cookies[thanks.COOKIE] = signing.dumps(payload, salt="volunteers.confirm")
    client.cookies[thanks.COOKIE]["path"] = THANKS
    assert VICTIM not in client.get(THANKS).content.decode()
    client.post(THANKS, {"action": "start-again"})
    client.post(THANKS, {"action": "send-again"})
    assert VolunteerApplication.objects.filter(pk=application.pk).exists()
    assert mail_to(VICTIM) == 0


def test_the_thanks_page_is_never_kept_for_the_next_visitor(client, form_data, settings):
    """With the page cache on, one person's thanks page (naming their address) is never
    the page another visitor of the same address gets, in any language."""
    from django.core.cache import caches
    from django.test import Client

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    settings.PAGE_CACHE_SECONDS = 300
    caches["default"].clear()
    for prefix in ("", "/ar"):
        client.post(f"{prefix}{APPLY}", {**form_data, "ticket": fresh_ticket()})
        mine = client.get(f"{prefix}{THANKS}")
        assert form_data["email"] in mine.content.decode()
        assert "no-store" in mine["Cache-Control"] or "private" in mine["Cache-Control"]
        stranger = Client().get(f"{prefix}{THANKS}").content.decode()
        assert form_data["email"] not in stranger
    caches["default"].clear()


@pytest.mark.parametrize(
    "strand_state", [{"status": "draft"}, {"publish_from": "2999-01-01T00:00Z"}], ids=str
)
def test_an_open_role_never_reveals_its_unpublished_strand(client, strand_state):
    """A role may be open before the strand it belongs to is published: the volunteer
    page shows the role, never the strand's title or a link to its (404) page."""
    from tests.programme.factories import StrandFactory

    secret = StrandFactory(title="Quillwort Expedition", slug="quillwort", **strand_state)
    public = StrandFactory(title="Lighthouse Strand", slug="lighthouse")
    VolunteerRoleFactory(title="Bookbinder", slug="bookbinder", strand=secret)
    VolunteerRoleFactory(title="Lamp keeper", slug="lamp-keeper", strand=public)
    html = client.get("/volunteer/").content.decode()
    assert "Bookbinder" in html
    assert "Quillwort" not in html
    assert "/quillwort/" not in html
    assert '<a href="/programme/lighthouse/">Lighthouse Strand</a>' in html
