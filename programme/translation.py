"""The programme's own words that staff translate in admin (issue 16, layer 3).

django-modeltranslation adds a column per language (``title_en``, ``title_ar``,
``title_fa``) beside each field named here; reading ``strand.title`` gives the active
language's text, or the English one while there is none (``core.translated`` says which,
so pages can mark it). English is the source: it is required, the others are optional.
"""

from modeltranslation.translator import TranslationOptions, register

from core.translated import record_translations_in_history
from programme.models import HomePage, Menu, MenuItem, Page, Project, Strand, Writer


@register(Strand)
class StrandTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("en",)
    fallback_undefined = ""  # an empty translation falls back to English, like a missing one


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("en",)
    fallback_undefined = ""  # an empty translation falls back to English, like a missing one


@register(Page)
class PageTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("en",)
    fallback_undefined = ""  # an empty translation falls back to English, like a missing one


@register(Writer)
class WriterTranslationOptions(TranslationOptions):
    # The name they publish under is theirs, in their own script: never translated.
    fields = ("summary", "biography")
    fallback_undefined = ""


@register(HomePage)
class HomePageTranslationOptions(TranslationOptions):
    fields = ("heading", "introduction", "volunteer_heading", "volunteer_text")
    required_languages = ("en",)
    fallback_undefined = ""  # an empty translation falls back to English, like a missing one


@register(Menu)
class MenuTranslationOptions(TranslationOptions):
    fields = ("heading",)  # the header menu has none: no language is required
    fallback_undefined = ""  # an empty translation falls back to English, like a missing one


@register(MenuItem)
class MenuItemTranslationOptions(TranslationOptions):
    # Empty in every language: the link says its target's title (translated in turn).
    fields = ("label",)
    fallback_undefined = ""


record_translations_in_history(Strand, Project, Page, Writer, HomePage, Menu, MenuItem)
