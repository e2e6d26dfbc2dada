"""Share cards: every page names an absolute picture other sites can fetch."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/events/", "/ar/"])
def test_every_page_has_an_absolute_share_picture_with_its_size_and_words(client, path):
    html = client.get(path).content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
    assert image, "no og:image"
    assert image.group(1).startswith("http://testserver/static/img/og-card")
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert re.search(r'<meta property="og:image:alt" content="[^"]{10,}">', html)
    assert '<meta name="twitter:card" content="summary_large_image">' in html


@pytest.fixture
def pictured_strand(settings, tmp_path):
    from tests.programme.factories import StrandFactory

    settings.DEMO_PICTURES = True
    from programme.demo_content import demo_image

    strand = StrandFactory(image_alt="A canary on a book")
    strand.image.save("strand.png", demo_image("share-card-test", size=(1600, 900)))
    strand.save()
    return strand


def test_a_page_with_a_picture_shares_it_near_1200_px_in_its_own_format(client, pictured_strand):
    html = client.get(pictured_strand.get_absolute_url()).content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert image.startswith("http://testserver/")
    assert image.endswith(".png")
    assert "og-card" not in image
    width = int(re.search(r'og:image:width" content="(\d+)"', html).group(1))
    assert 900 <= width <= 1600
    assert '<meta property="og:image:alt" content="A canary on a book">' in html


def test_a_writer_page_never_shares_the_portrait(client):
    from tests.programme.factories import WriterFactory

    writer = WriterFactory()
    html = client.get(writer.get_absolute_url()).content.decode()
    image = re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)
    assert "og-card" in image


def card_of(client, path) -> str:
    html = client.get(path).content.decode()
    return re.search(r'<meta property="og:image" content="([^"]+)"', html).group(1)


def test_a_strand_without_a_picture_shares_its_title_on_the_portals_card(client):
    import io

    from PIL import Image

    from tests.programme.factories import StrandFactory

    strand = StrandFactory(title="Strangers and Canaries")
    image = card_of(client, strand.get_absolute_url())
    assert image.startswith("http://testserver/share/")
    assert image.endswith(".png")
    html = client.get(strand.get_absolute_url()).content.decode()
    assert '<meta property="og:image:alt" content="Strangers and Canaries">' in html
    card = client.get(image.removeprefix("http://testserver"))
    assert card.status_code == 200
    assert card["Content-Type"] == "image/png"
    assert "immutable" in card["Cache-Control"]
    assert Image.open(io.BytesIO(card.content)).size == (1200, 630)
    assert client.head(image.removeprefix("http://testserver")).status_code == 200


def test_a_page_and_an_event_share_their_titles_too(client):
    from programme.models import Page
    from tests.events.factories import EventFactory

    Page.objects.create(slug="for-schools", title="For schools", status="published")
    assert "/share/" in card_of(client, "/pages/for-schools/")
    assert "/share/" in card_of(client, EventFactory(title="A reading").get_absolute_url())


def test_nobody_can_make_the_portal_draw_their_own_words(client):
    from django.core import signing

    forged = signing.dumps({"t": "Buy cheap pills"}, salt="another.salt", compress=True)
    assert client.get(f"/share/{forged}.png").status_code == 404
    assert client.get("/share/not-a-token.png").status_code == 404


def test_a_title_the_typeface_cannot_draw_shares_the_portals_own_card(client):
    from tests.programme.factories import StrandFactory

    strand = StrandFactory(title="Strand", title_ar="شهرزاد")
    assert "/share/" in card_of(client, strand.get_absolute_url())
    assert "og-card" in card_of(client, "/ar" + strand.get_absolute_url())


def test_a_writer_page_never_shares_a_card_with_the_writers_name(client):
    from tests.programme.factories import WriterFactory

    writer = WriterFactory(name="Amira Haddad")
    assert "/share/" not in card_of(client, writer.get_absolute_url())


def test_a_cards_address_is_the_same_at_every_render(client, monkeypatch):
    """A timestamped token changed the address every second: pages never rendered
    alike twice, so neither the page cache nor the year-long card cache held."""
    import time

    from tests.programme.factories import StrandFactory

    strand = StrandFactory(title="Strangers and Canaries")
    first = card_of(client, strand.get_absolute_url())
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert card_of(client, strand.get_absolute_url()) == first


def test_a_token_signed_for_another_card_title_is_refused(client):
    from django.core import signing

    from core.share_cards import SALT

    token = signing.Signer(salt=SALT).sign_object({"t": "A reading"}, compress=True)
    assert client.get(f"/share/{token}.png").status_code == 200
    tampered = token.replace(token.rsplit(":", 1)[1], "x" * 27)
    assert client.get(f"/share/{tampered}.png").status_code == 404
