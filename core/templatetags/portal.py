"""The portal's template tags: navigation filters, ``{% fragment %}`` and responsive images."""

from django import template

from core.caching import fragments
from core.images import rendition_name, rendition_widths

register = template.Library()


@register.filter
def in_section(path: str, url: str) -> bool:
    """True when `path` is `url` or below it; the home page matches only itself."""
    if url == "/":
        return path == "/"
    return path.startswith(url)


@register.filter
def top_section(path: str) -> str:
    """`path` up to its first segment ("/events/" for "/events/past/"): all that the
    navigation's active link depends on, as every link is "/" or "/<segment>/"."""
    segment, *rest = path[1:].split("/", 1)
    return f"/{segment}/" if rest else f"/{segment}"


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


@register.inclusion_tag("includes/_image.html")
def responsive_image(obj, field, *, sizes="100vw", loading="lazy", css_class="", alt=None):
    """A <picture> with WebP and fallback renditions, from stored sizes (no file access).

    `obj.<field>` is a CleanImageField; `<field>_width`/`_height` give its size and
    `<field>_alt` (or `alt`) its description.
    """
    image = getattr(obj, field)
    width = getattr(obj, f"{field}_width", None)
    height = getattr(obj, f"{field}_height", None)
    if not image or not width or not height:
        return {"image": None}
    storage = image.storage
    fallback = image.name.rsplit(".", 1)[-1]
    widths = rendition_widths(width)
    largest = widths[-1]

    def srcset(extension):
        return ", ".join(
            f"{storage.url(rendition_name(image.name, w, extension))} {w}w" for w in widths
        )

    return {
        "image": image,
        "webp_srcset": srcset("webp"),
        "fallback_srcset": srcset(fallback),
        "src": storage.url(rendition_name(image.name, widths[min(1, len(widths) - 1)], fallback)),
        "width": largest,
        "height": max(1, round(height * largest / width)),
        "sizes": sizes,
        "loading": loading,
        "css_class": css_class,
        "alt": getattr(obj, f"{field}_alt", "") if alt is None else alt,
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
