"""Every public page is valid HTML5 according to the Nu Html Checker."""

import pytest

from tests.events.pages import event_paths
from tests.html_validator import html_errors
from tests.programme.factories import WriterFactory
from tests.programme.images import phone_photo

pytestmark = pytest.mark.html  # starts Java (the Nu Html Checker)

PAGES = [
    "/",
    "/programme/",
    "/programme/community-programme/",
    "/programme/community-programme/strangers-and-canaries/",
    "/search/",
    "/search/?q=refugee+stories",
    "/search/?q=zzzz",
    "/writers/",
    "/writers/jiao-guobiao/",
    "/supporters/",
    "/about/",
    "/privacy/",
    "/accessibility/",
    "/contact/",
    "/events/",
    "/volunteer/",
    "/no-such-page/",
]


@pytest.mark.urls("tests.urls_error")
def test_public_pages_are_valid_html(client, demo_content, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    WriterFactory(name="焦国标", slug="焦国标", visibility="unlisted")
    WriterFactory(
        name="Poet with a portrait",
        slug="poet",
        portrait=phone_photo(),
        portrait_alt="The poet",
        show_portrait=True,
    )
    client.raise_request_exception = False
    urls = [*PAGES, *event_paths(), "/writers/焦国标/", "/writers/poet/", "/broken/"]
    pages = {url: client.get(url).content.decode() for url in urls}
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
