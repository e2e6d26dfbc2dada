"""Share cards: a page's title on the portal's branded card (og:image), made with Pillow.

A page with a picture of its own shares that picture; a strand, project, event or page
without one shares a card with its title, drawn here on the portal's drawing
(``static/img/og-card.png``) in its own typeface. The address carries the title, signed
(``card_token``), so the card needs no query, nobody can make the portal draw words of
their own, and a changed title is a new address (the old card stays what it was, and
may be kept for a year). Writers never get one: a card another site keeps cannot be
withdrawn.

Only titles the typeface can draw (Latin script) are drawn; any other shares the
portal's own card, with its drawing and no words, rather than boxes for letters.
"""

import hashlib
import io
import logging
import textwrap

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

SALT = "core.share_cards"
WIDTH, HEIGHT = 1200, 630
MAX_TITLE = 140
PANEL = (14, 94, 87)  # the card's green
INK = (251, 248, 241)  # its cream
ACCENT = (245, 197, 24)  # the canary's yellow
TITLE_FONT = "fonts/source-serif-4-latin-600-normal.woff2"
NAME_FONT = "fonts/source-serif-4-latin-400-normal.woff2"
# Latin letters Source Serif 4's Latin subset draws, and the typographer's punctuation.
DRAWABLE_EXTRA = set("‘’“”–—…·•€£")


def drawable(title: str) -> bool:
    return bool(title.strip()) and all(
        ord(char) < 0x250 or char in DRAWABLE_EXTRA for char in title
    )


def card_token(title: str) -> str | None:
    """The signed part of a card's address, or None when the title cannot be drawn."""
    title = " ".join(title.split())[:MAX_TITLE]
    if not drawable(title):
        return None
    # Signer, not signing.dumps: a timestamp would give the same card a new address
    # every second, and the pages that name it would never render alike twice.
    return signing.Signer(salt=SALT).sign_object({"t": title}, compress=True)


def title_of(token: str) -> str | None:
    try:
        title = signing.Signer(salt=SALT).unsign_object(token)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return title if isinstance(title, str) and drawable(title) else None


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(finders.find(path), size)


def _lines(title: str) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The title in at most three lines that fit the panel, as large as it can be."""
    for size, width in ((72, 18), (62, 22), (54, 26), (46, 31)):
        font = _font(TITLE_FONT, size)
        lines = textwrap.wrap(title, width=width) or [title]
        if len(lines) <= 3 and all(font.getlength(line) <= 660 for line in lines):
            return lines, font
    lines = textwrap.wrap(title, width=31)
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width=30, placeholder="…")]
    return lines, _font(TITLE_FONT, 46)


def render(title: str) -> bytes:
    """The card as PNG bytes: the drawing on the right, the title on a panel at left."""
    drawing = Image.open(finders.find("img/og-card.png")).convert("RGB")
    card = Image.new("RGB", (WIDTH, HEIGHT), PANEL)
    # The canary on its open book, from the portal's own card, at the right.
    bird = drawing.crop((190, 200, 1010, 560))
    bird = bird.resize((410, 180), Image.Resampling.LANCZOS)
    card.paste(bird, (760, 400))
    draw = ImageDraw.Draw(card)
    draw.rectangle((60, 150, 160, 156), fill=ACCENT)
    draw.text((60, 90), settings.PORTAL["NAME"], font=_font(NAME_FONT, 34), fill=ACCENT)
    lines, font = _lines(title)
    y = 190
    for line in lines:
        draw.text((60, y), line, font=font, fill=INK)
        y += int(font.size * 1.25)
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


def rendered(token: str) -> bytes | None:
    """The card for `token`, kept in the shared cache (drawing one takes ~100 ms)."""
    title = title_of(token)
    if title is None:
        return None
    key = "share-card:" + hashlib.sha256(f"{settings.PORTAL['NAME']}|{title}".encode()).hexdigest()
    try:
        kept = cache.get(key)
    except Exception:  # a card is worth drawing again, never a 500
        logger.warning("Share card: the cache cannot be read", exc_info=True)
        kept = None
    if kept is None:
        kept = render(title)
        try:
            cache.set(key, kept, timeout=30 * 24 * 3600)
        except Exception:
            logger.warning("Share card: the cache cannot be written", exc_info=True)
    return kept
