"""The writings' pages are valid HTML5 according to the Nu Html Checker (issue 16)."""

import pytest

from tests.html_validator import html_errors
from tests.programme.factories import WritingVersionFactory, writing_with_translation

pytestmark = pytest.mark.html  # starts Java (the Nu Html Checker)


def test_writings_pages_are_valid_html(client, demo_content, tmp_path):
    writing = writing_with_translation(slug="window-2", writer__slug="mina")
    WritingVersionFactory(
        writing=writing, language="ar", is_original=False, title="نافذة", text="سطر\nسطر",
        translator="Layla Example", rights_note="Translation © Layla Example.",
    )  # fmt: skip
    urls = [
        "/writings/",
        "/writings/?language=fa",
        "/writings/?writer=mina&language=ar",
        "/writings/window/",
        "/writings/window-2/",
        "/writings/window-2/?with=ar",
        "/writers/mina/",
        "/writers/demonstration-writer/",
        "/search/?q=پنجره",
    ]
    pages = {url: client.get(url).content.decode() for url in urls}
    errors = html_errors(pages, tmp_path)
    assert not errors, "\n".join(errors)
