"""The portal's template tags: navigation filters, the language links, ``{% fragment %}``
and responsive images."""

import functools
from typing import NamedTuple

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import Resolver404, get_urlconf, resolve, reverse, translate_url
from django.utils import translation

from core import share_cards
from core.caching import fragments
from core.images import rendition_name, rendition_widths
from core.markup import html

register = template.Library()

# Open Graph names a locale language_TERRITORY; these are the forms its readers know.
OG_LOCALES = {"en-gb": "en_GB", "ar": "ar_AR", "fa": "fa_IR"}
# A language's name in its own script, as the switcher shows it, where Django's differs
# (its "British English", its "العربيّة" with a shadda few sites write).
LOCAL_NAMES = {"en-gb": "English", "ar": "العربية"}


def _language_prefix(path: str) -> str:
    """The language prefix `path` starts with ("/ar" for "/ar/events/"), or ""."""
    code = translation.get_language_from_path(path)
    return f"/{code}" if code and path.startswith(f"/{code}/") else ""


@register.filter
def in_section(path: str, url: str) -> bool:
    """True when `path` is `url` or below it; a home page ("/", "/ar/") matches only itself."""
    if url == "/" or url == f"{_language_prefix(url)}/":
        return path == url
    return path.startswith(url)


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """An address as other sites need it (share cards, feeds): with scheme and host, unless
    it already has them (static files on a CDN)."""
    if "://" in url or url.startswith("//"):
        return url
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.filter
def top_section(path: str) -> str:
    """`path` up to its first segment after any language prefix ("/events/" for
    "/events/past/", "/ar/events/" for "/ar/events/past/"): all that the navigation's
    active link depends on, as every link is a home page or "/<segment>/"."""
    prefix = _language_prefix(path)
    segment, *rest = path[len(prefix) + 1 :].split("/", 1)
    return f"{prefix}/{segment}/" if rest else f"{prefix}/{segment}"


class LanguageVersion(NamedTuple):
    """The page being read, in one of the interface languages."""

    code: str  # as in settings.LANGUAGES ("en-gb")
    tag: str  # for lang and hreflang attributes ("en-GB")
    name_local: str  # in its own language and script ("العربية")
    url: str  # this page in that language (its home page when this is no page)
    absolute_url: str  # the same, with the site's scheme and host (hreflang links)
    og_locale: str  # Open Graph's form ("ar_AR")
    current: bool
    alternate: bool  # url is this very page in that language (not its home page)


def language_tag(code: str) -> str:
    """BCP 47 as HTML writes it: "en-gb" is "en-GB"."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.simple_tag(takes_context=True)
def language_versions(context) -> list[LanguageVersion]:
    """This page in every interface language: for the switcher, hreflang links, og:locale.

    An address no view answers (a 404) has no versions: each language's home page stands in.
    """
    request = context.get("request")
    if request is None:
        return _language_versions("/", "/", None, translation.get_language(), get_urlconf())
    return _language_versions(
        request.get_full_path(),
        request.path_info,
        f"{request.scheme}://{request.get_host()}",
        translation.get_language(),
        get_urlconf(),
    )


@functools.lru_cache(maxsize=2048)
def _language_versions(path, path_info, origin, current, urlconf) -> tuple[LanguageVersion, ...]:
    """Remembered per process: resolving the page and reversing it in every language cost
    1.6 ms of every page. It depends only on its arguments (the URLconf among them, so a
    test's own URLs start afresh); the bound keeps a flood of odd addresses harmless."""
    try:
        resolve(path_info, urlconf)
        found = True
    except Resolver404:
        found = False
    versions = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        if found:
            url = translate_url(path, code)
        else:
            with translation.override(code):
                url = reverse("home")
        versions.append(
            LanguageVersion(
                code=code,
                tag=language_tag(code),
                name_local=LOCAL_NAMES.get(code, info["name_local"]),
                url=url,
                absolute_url=f"{origin}{url}" if origin is not None else url,
                og_locale=OG_LOCALES.get(code, translation.to_locale(code)),
                current=code == current,
                alternate=found,
            )
        )
    return tuple(versions)


@receiver(setting_changed)
def _forget_language_versions(*, setting, **kwargs) -> None:
    if setting in ("ROOT_URLCONF", "LANGUAGES", "LANGUAGE_CODE", "FORCE_SCRIPT_NAME"):
        _language_versions.cache_clear()


class FragmentNode(template.Node):
    """Renders its contents through core.caching.fragments.cached."""

    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        name = self.name.resolve(context)
        vary = [value.resolve(context) for value in self.vary]
        return fragments.cached(
            context.get("request"), name, vary, lambda: self.nodelist.render(context)
        )


@register.tag
def fragment(parser, token):
    """``{% fragment "name" value ... %}…{% endfragment %}``: kept rendered per
    ``request.content_generation`` and per value (see core/caching/fragments.py); nothing
    inside may be per visitor.

    ``request.get_full_path`` as a value means the page's canonical address: only the
    query parameters its view declares count, so ``?cb=<random>`` makes no new fragment.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), vary)


@register.simple_tag
def responsive_image(obj, field, *, sizes="100vw", loading="lazy", css_class="", alt=None):
    """A <picture> with WebP and fallback renditions, from stored sizes (no file access);
    "" without an image.

    `obj.<field>` is a CleanImageField; `<field>_width`/`_height` give its size and
    `<field>_alt` (or `alt`) its description. Made here rather than by a template: every
    card with a picture has one.
    """
    image = getattr(obj, field)
    width = getattr(obj, f"{field}_width", None)
    height = getattr(obj, f"{field}_height", None)
    if not image or not width or not height:
        return ""
    storage = image.storage
    if getattr(storage, "querystring_auth", False):  # signed addresses expire: never kept
        picture = _picture(storage, image.name, width, height)
    else:
        picture = _kept_picture(_StorageKey(storage), image.name, width, height)
    return html(
        '<picture>\n  <source type="image/webp" srcset="{}" sizes="{}">\n'
        '  <img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async"{}>\n</picture>',
        picture["webp_srcset"],
        sizes,
        picture["src"],
        picture["fallback_srcset"],
        sizes,
        picture["width"],
        picture["height"],
        getattr(obj, f"{field}_alt", "") if alt is None else alt,
        loading,
        html(' class="{}"', css_class) if css_class else "",
    )


def _picture(storage, name: str, width: int, height: int) -> dict:
    fallback = name.rsplit(".", 1)[-1]
    widths = rendition_widths(width)
    largest = widths[-1]

    def srcset(extension):
        return ", ".join(f"{storage.url(rendition_name(name, w, extension))} {w}w" for w in widths)

    return {
        "webp_srcset": srcset("webp"),
        "fallback_srcset": srcset(fallback),
        "src": storage.url(rendition_name(name, widths[min(1, len(widths) - 1)], fallback)),
        "width": largest,
        "height": max(1, round(height * largest / width)),
    }


class _StorageKey:
    """A storage as a cache key: the same class serving from the same base address."""

    def __init__(self, storage):
        self.storage = storage
        self.key = (
            type(storage),
            getattr(storage, "base_url", None),
            getattr(storage, "custom_domain", None),
            getattr(storage, "location", None),
        )

    def __hash__(self):
        return hash(self.key)

    def __eq__(self, other):
        return isinstance(other, _StorageKey) and self.key == other.key


@functools.lru_cache(maxsize=4096)
def _kept_picture(storage_key: _StorageKey, name: str, width: int, height: int) -> dict:
    """The addresses of an image's renditions, remembered per process: a stored name is
    random and never reused (core/images.py), so its renditions' addresses never change.
    A list of 80 cards spent 6 % of its time building them (docs/benchmarks.md)."""
    return _picture(storage_key.storage, name, width, height)


@register.inclusion_tag("includes/_share_image.html", takes_context=True)
def share_image(context, obj=None, field="image"):
    """The share card (og:image) for a page: `obj`'s picture when it has one, at the
    rendition nearest 1,200 px wide in its own format (not every site reads WebP); else a
    card with `obj`'s title on the portal's drawing (core/share_cards.py); else the
    portal's drawing alone. Never pass a writer: a card another site keeps cannot be
    withdrawn."""
    request = context.get("request")
    image = getattr(obj, field, None) if obj is not None else None
    width = getattr(obj, f"{field}_width", None) if image else None
    height = getattr(obj, f"{field}_height", None) if image else None
    if not image or not width or not height:
        title = str(getattr(obj, "title", "") or "") if obj is not None else ""
        token = share_cards.card_token(title) if title else None
        if token is None:
            return {"request": request, "image": None}
        return {
            "request": request,
            "image": reverse("share-card", kwargs={"token": token}),
            "width": share_cards.WIDTH,
            "height": share_cards.HEIGHT,
            "alt": title,
        }
    chosen = min(rendition_widths(width), key=lambda w: abs(w - 1200))
    extension = image.name.rsplit(".", 1)[-1]
    return {
        "request": request,
        "image": image.storage.url(rendition_name(image.name, chosen, extension)),
        "width": chosen,
        "height": max(1, round(height * chosen / width)),
        "alt": getattr(obj, f"{field}_alt", ""),
    }


# Our own drawings (static/img/illustrations/), one per strand: a strand whose slug names
# its kind gets its own, any other one by its place in the programme.
ILLUSTRATIONS = ("canary", "books", "scripts")
ILLUSTRATION_BY_WORD = {
    "community": "canary",
    "canar": "canary",
    "young": "canary",
    "writer": "books",
    "residen": "books",
    "librar": "books",
    "shahrazad": "scripts",
    "translat": "scripts",
}


@register.filter
def illustration(strand) -> str:
    """The static path of `strand`'s illustration (an open book when there is no strand)."""
    if strand is None:
        return "img/illustrations/books.svg"
    slug = str(getattr(strand, "slug", "")).lower()
    for word, name in ILLUSTRATION_BY_WORD.items():
        if word in slug:
            return f"img/illustrations/{name}.svg"
    index = (getattr(strand, "order", 0) or getattr(strand, "pk", 0) or 0) % len(ILLUSTRATIONS)
    return f"img/illustrations/{ILLUSTRATIONS[index]}.svg"


@register.simple_tag
def card_media(obj, strand, sizes: str):
    """A card's picture: `obj`'s own image, or `strand`'s drawing. A tag rather than an
    include: lists of cards pay the template engine's cost per include, per card."""
    if obj.image:
        picture = responsive_image(obj, "image", sizes=sizes)
        return html('<div class="card-media">{}</div>', picture)
    return html(
        '<div class="card-media card-media--drawn"><img src="{}" alt="" width="240" '
        'height="160" loading="lazy" decoding="async"></div>',
        static(illustration(strand)),
    )
