"""Every public page is valid HTML5 according to the Nu Html Checker."""

import pytest

from tests.events.pages import event_paths
from tests.html_validator import html_errors
from tests.programme.factories import WriterFactory

PAGES = [
    "/",
    "/programme/",
    "/programme/community-programme/",
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
def test_public_pages_are_valid_html(client, demo_content, tmp_path):
    WriterFactory(name="焦国标", slug="焦国标", visibility="unlisted")
    client.raise_request_exception = False
    urls = [*PAGES, *event_paths(), "/writers/焦国标/", "/broken/"]
    pages = {url: client.get(url).content.decode() for url in urls}
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
