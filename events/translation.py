"""An event's words that staff translate in admin (issue 16, layer 3): see
programme/translation.py."""

from modeltranslation.translator import TranslationOptions, register

from core.translated import record_translations_in_history
from events.models import Event


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("en",)
    fallback_undefined = ""  # an empty translation falls back to English, like a missing one


record_translations_in_history(Event)
