"""A writer is presented only as staff choose: every public surface, every unsafe state."""

import datetime

import pytest

from tests.programme.factories import WriterFactory

pytestmark = pytest.mark.django_db

UNSAFE_STATES = {
    "hidden": {"visibility": "hidden"},
    "no consent": {"consent_recorded_on": None},
    "consent withdrawn": {"consent_withdrawn_on": datetime.date(2026, 3, 1)},
    "unlisted": {"visibility": "unlisted"},
}
SURFACES = ["/", "/writers/", "/programme/writer-in-residence/", "/sitemap.xml"]


@pytest.mark.parametrize("state", UNSAFE_STATES, ids=UNSAFE_STATES.keys())
def test_an_unlisted_hidden_or_unconsented_writer_appears_on_no_surface(
    client, demo_content, state
):
    from programme.models import Strand

    writer = WriterFactory(
        name="Zephyrine Quillfeather",
        slug="zephyrine",
        strand=Strand.objects.get(slug="writer-in-residence"),
        residency_start=datetime.date(2026, 1, 1),
        **UNSAFE_STATES[state],
    )
    for url in SURFACES:
        assert "Zephyrine" not in client.get(url).content.decode(), url
    # The search page repeats the query, so look at its results, not the whole page.
    assert "Nothing matched" in client.get("/search/", {"q": "Zephyrine"}).content.decode()
    detail = client.get(writer.get_absolute_url())
    if state == "unlisted":
        assert detail.status_code == 200
        assert 'content="noindex, nofollow"' in detail.content.decode()
    else:
        assert detail.status_code == 404


def test_the_same_writer_appears_everywhere_once_public(client, demo_content):
    from programme.models import Strand

    WriterFactory(
        name="Zephyrine Quillfeather",
        slug="zephyrine",
        strand=Strand.objects.get(slug="writer-in-residence"),
        residency_start=datetime.date(2026, 1, 1),
    )
    for url in SURFACES:
        assert "zephyrine" in client.get(url).content.decode().lower(), url
    assert (
        'href="/writers/zephyrine/"' in client.get("/search/", {"q": "Zephyrine"}).content.decode()
    )


def test_withdrawing_consent_unpublishes_at_once(client, db):
    writer = WriterFactory(name="Soon Gone")
    assert client.get(writer.get_absolute_url()).status_code == 200
    writer.consent_withdrawn_on = datetime.date(2026, 11, 1)
    writer.save()
    assert client.get(writer.get_absolute_url()).status_code == 404
    assert "Soon Gone" not in client.get("/writers/").content.decode()


def test_withheld_country_and_portrait_appear_nowhere(client, db, settings, tmp_path):
    from tests.programme.images import phone_photo

    settings.MEDIA_ROOT = tmp_path
    writer = WriterFactory(
        name="Careful Poet",
        country_of_origin="Atlantis",
        show_country=False,
        portrait=phone_photo(),
        portrait_alt="Careful Poet smiling",
        show_portrait=False,
    )
    for url in ("/", "/writers/", writer.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "Atlantis" not in content
        assert "Careful Poet smiling" not in content
        assert writer.portrait.name.rsplit(".", 1)[0] not in content
