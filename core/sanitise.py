"""Formatted text staff write is cleaned on the server before it is stored.

A small allow-list: enough for paragraphs, headings, lists, quotes and links;
never scripts, styles, event handlers or iframes, whatever is pasted in.

And plain text visitors type (a name, access needs) loses the invisible characters
that could disguise it in staff's lists (``strip_bidi_controls``).
"""

import re
from functools import partial
from html import unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "u", "s",
    "ul", "ol", "li", "blockquote", "a", "abbr", "cite", "q", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Text runs on across these; every other tag (paragraph, heading, list item, <br>) ends a line.
INLINE_TAGS = {"a", "abbr", "b", "cite", "em", "i", "q", "s", "strong", "u"}
NBSP = "\xa0"
# nh3 escapes "<" and ">" inside attribute values, so a tag never contains a bare ">".
TAG = re.compile(r"(<[^>]*>)")
TAG_NAME = re.compile(r"</?([a-z0-9]+)")
SPACES = re.compile(r"[ \t\n\r\f\xa0]+")
# Where typography asks for a no-break space: after an opening French quote, before a closing
# one or high punctuation ("« Bonjour »", "Quoi ?", "50 %").
NBSP_AFTER = set("«‹¿¡")
NBSP_BEFORE = set("»›?!:;%‰")


# Unicode's bidirectional embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069):
# typed into a name they reorder what follows (the "gnp.exe" trick) in the staff's attendee
# list, CSV and sign-in sheet. The marks U+200E and U+200F stay: mixing Arabic or Persian
# with Latin letters properly may need them, and they reorder nothing beyond themselves.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    """`text` without bidirectional embedding, override or isolate characters."""
    return BIDI_CONTROLS.sub("", text)


def sanitise_html(html: str) -> str:
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return loosen_no_break_spaces(cleaned)


def loosen_no_break_spaces(cleaned: str) -> str:
    """Turn the no-break spaces that stand for typed spaces back into ordinary ones.

    An editor missing its styles stores every typed space as &nbsp;, and a body becomes one
    line no phone can wrap. A typed space and a deliberate one look the same, so a no-break
    space is kept only where typography uses one on purpose, standing alone between two
    characters: next to a digit ("10 km", "page 5"), after an opening guillemet, ¿ or ¡, or
    before a closing guillemet, ? ! : ; % or ‰ ("« Bonjour »"). Any other one between two
    characters (between words, after a comma or full stop, in a run with other spaces) becomes
    an ordinary space. At the start or end of a line (an empty paragraph kept as a spacer, an
    indent) it stays: there it never stops a line wrapping.

    Works on nh3's output (text escaped, no bare "<" or ">" in attributes); running it again
    changes nothing.
    """
    if "&nbsp;" not in cleaned:
        return cleaned
    parts = TAG.split(cleaned)
    texts = [unescape(text) for text in parts[0::2]]
    inline = [_is_inline(tag) for tag in parts[1::2]]
    for index, text in enumerate(texts):
        if NBSP in text:
            before = _text_beside(texts, inline, index, step=-1)
            after = _text_beside(texts, inline, index, step=1)
            texts[index] = SPACES.sub(partial(_loosen, before=before, after=after), text)
    parts[0::2] = [_escape(text) for text in texts]
    return "".join(parts)


def _loosen(run: re.Match, *, before: str | None, after: str | None) -> str:
    spaces, text = run.group(), run.string
    if NBSP not in spaces:
        return spaces
    left = text[run.start() - 1] if run.start() > 0 else before
    right = text[run.end()] if run.end() < len(text) else after
    if left is None or right is None:
        return spaces
    if len(spaces) == 1 and not left.isspace() and not right.isspace():
        deliberate = (
            left.isdigit()
            or (right.isdigit() and left.isalpha())
            or left in NBSP_AFTER
            or right in NBSP_BEFORE
        )
        if deliberate:
            return spaces
    return " "


def _text_beside(texts: list[str], inline: list[bool], index: int, *, step: int) -> str | None:
    """The character next to texts[index] across inline tags; None where a line ends."""
    while True:
        tag = index - 1 if step < 0 else index
        if not 0 <= tag < len(inline) or not inline[tag]:
            return None
        index += step
        if texts[index]:
            return texts[index][-1] if step < 0 else texts[index][0]


def _is_inline(tag: str) -> bool:
    name = TAG_NAME.match(tag)
    return name is not None and name.group(1) in INLINE_TAGS


def _escape(text: str) -> str:
    # As nh3 (html5ever) escapes text, so cleaning twice gives the same result.
    return (
        text.replace("&", "&amp;").replace(NBSP, "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")
    )
