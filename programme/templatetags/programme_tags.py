from django import template

from programme.images import rendition_name, rendition_widths
from programme.models import Partner

register = template.Library()


@register.inclusion_tag("includes/_supporter_list.html")
def supporter_list():
    """The published supporters, for the footer of every page (one query)."""
    return {"partners": Partner.objects.published()}


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
