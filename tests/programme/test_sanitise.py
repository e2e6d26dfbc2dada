"""Formatted text is cleaned to a small allow-list, whatever is pasted in."""

import pytest

from programme.sanitise import sanitise_html

HOSTILE = [
    ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
    ('<p onclick="steal()">ok</p>', "<p>ok</p>"),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<img src=x onerror="alert(1)">', ""),
    ("<iframe src='https://evil.example'></iframe>", ""),
    ("<style>body{display:none}</style><p>ok</p>", "<p>ok</p>"),
    ('<p style="background:url(javascript:x)">ok</p>', "<p>ok</p>"),
    ("<svg><script>alert(1)</script></svg>", ""),
    ("<math><mi xlink:href='javascript:x'>m</mi></math>", ""),
    ("<form action='https://evil.example'><input></form>", ""),
    ("<!-- a comment --><p>ok</p>", "<p>ok</p>"),
    ("<p>unclosed <strong>bold", "<p>unclosed <strong>bold</strong></p>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', '<a rel="noopener noreferrer">x</a>'),
]


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE)
def test_hostile_html_is_neutralised(dirty, clean):
    assert sanitise_html(dirty) == clean


def test_the_allow_list_keeps_ordinary_formatting():
    html = (
        '<h2>Title</h2><p><strong>b</strong> <em>i</em> <a href="https://icorn.org">l</a></p>'
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>q</p></blockquote>"
    )
    cleaned = sanitise_html(html)
    for tag in ("<h2>", "<strong>", "<em>", "<ul>", "<ol>", "<blockquote>"):
        assert tag in cleaned
    assert 'href="https://icorn.org"' in cleaned


def test_text_in_any_script_survives():
    assert sanitise_html("<p>焦国标 · نجيب · Václav</p>") == "<p>焦国标 · نجيب · Václav</p>"
