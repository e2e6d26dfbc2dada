"""Marking staff-edited text shown in English inside a page in another language.

``{% load translated %}`` then, on the element holding a field:
``<h1{% in_english strand "title" %}>{{ strand.title }}</h1>`` adds ``lang="en"`` (and
``dir="ltr"`` in a right-to-left page) when the title fell back to English, so screen
readers pronounce it as English; and once per page or card,
``{% untranslated_note strand "title" "summary" "body" %}`` says "Not yet translated — shown
in English" in the visitor's language when any of those fields fell back. A translated
field, or any field on an English page, gets neither. See core/translated.py.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.translation import get_language_bidi, gettext

from core.markup import html
from core.translated import SOURCE_LANGUAGE, fallback_fields

register = template.Library()


@register.simple_tag
def in_english(obj, field: str):
    """` lang="en"` (and ` dir="ltr"` in a right-to-left page) when `field` is shown in
    English for want of a translation; nothing otherwise."""
    if not fallback_fields(obj, field):
        return ""
    if get_language_bidi():
        return html(' lang="{}" dir="ltr"', SOURCE_LANGUAGE)
    return html(' lang="{}"', SOURCE_LANGUAGE)


@register.simple_tag
def field_text(obj, field: str):
    """`field`'s text, escaped, inside ``<span lang="en">`` when it fell back to English:
    for a title inside a sentence (``{% field_text strand "title" as title %}`` then
    ``{% blocktranslate %}…{{ title }}…{% endblocktranslate %}``), where no element of its
    own could carry the attribute."""
    value = getattr(obj, field)
    attributes = in_english(obj, field)
    return html("<span{}>{}</span>", attributes, value) if attributes else conditional_escape(value)


@register.simple_tag
def untranslated_note(obj, *fields: str):
    """One note for a page or card when any of `fields` is shown in English; nothing
    otherwise. A tag rather than an included template: every card has one."""
    if not fallback_fields(obj, *fields):
        return ""
    return html(
        '<p class="untranslated-note">{}</p>', gettext("Not yet translated — shown in English")
    )
