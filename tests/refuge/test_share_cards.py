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
