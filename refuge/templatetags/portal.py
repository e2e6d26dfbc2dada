from django import template

register = template.Library()


@register.filter
def in_section(path: str, url: str) -> bool:
    """True when `path` is `url` or below it; the home page matches only itself."""
    if url == "/":
        return path == "/"
    return path.startswith(url)
