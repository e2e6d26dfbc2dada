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
