"""Staff-edited content in several languages (issue 16, layer 3; django-modeltranslation).

Each translated field (``title``) has a column per language (``title_en``, ``title_ar``,
``title_fa``); reading ``strand.title`` gives the active language's text or, while it has
none, the English. This module says which fields fell back (so a page can mark the English
with ``lang="en"`` and one "Not yet translated" note: ``core.templatetags.translated``) and
keeps history recording every language.
"""

import functools

from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from modeltranslation.settings import DEFAULT_LANGUAGE as SOURCE_LANGUAGE
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import get_language as translation_language

__all__ = [
    "SOURCE_LANGUAGE",
    "every_language",
    "fallback_fields",
    "record_translations_in_history",
]


@functools.cache
def _translated_fields(model) -> frozenset[str]:
    # Per class, once: every card on an Arabic or Persian page asks (models register
    # with modeltranslation when the apps load, before any page renders).
    declared = getattr(model, "translated_fields", None)  # a model's light stand-in
    if declared is not None:
        return frozenset(declared)
    try:
        return frozenset(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return frozenset()


def every_language(*lookups: str) -> list[str]:
    """Each translated field's lookup (``"event__title"``) with its every language's
    column, for ``only()`` and ``defer()`` through a relation: the fallback reads them all."""
    from modeltranslation.settings import AVAILABLE_LANGUAGES

    return [
        name
        for lookup in lookups
        for name in (lookup, *(f"{lookup}_{language}" for language in AVAILABLE_LANGUAGES))
    ]


def fallback_fields(obj, *field_names: str) -> list[str]:
    """The fields among `field_names` that `obj` shows in English although the page is in
    another language: no text in the active language, some in English."""
    if obj is None or not get_language():
        return []
    language = translation_language()
    if language == SOURCE_LANGUAGE:
        return []
    translated = _translated_fields(type(obj))
    return [
        name
        for name in field_names
        if name in translated
        and not getattr(obj, f"{name}_{language}", None)
        and getattr(obj, f"{name}_{SOURCE_LANGUAGE}", None)
    ]


def record_translations_in_history(*models) -> None:
    """Give each model's history (simple_history) a column per translation too.

    History tables are made when a model class is, before modeltranslation adds its
    columns; without this, every save would fail to copy them. Called from the apps'
    translation.py, right after registering.
    """
    for model in models:
        history = model.history.model
        existing = {field.name for field in history._meta.get_fields()}
        for fields in translator.get_options_for_model(model).all_fields.values():
            for field in sorted(fields, key=lambda f: f.name):
                if field.name in existing:
                    continue
                _name, path, args, kwargs = field.deconstruct()
                history.add_to_class(field.name, import_string(path)(*args, **kwargs))


def in_active_language(field: str):
    """An expression for `field`'s text in the active language, or its English while it
    has none: what ``obj.field`` gives, for querysets that select columns themselves
    (the site search's UNION)."""
    language = translation_language()
    english = F(f"{field}_{SOURCE_LANGUAGE}")
    if language == SOURCE_LANGUAGE:
        return english
    return Coalesce(NullIf(F(f"{field}_{language}"), Value("")), english, output_field=TextField())


def with_translated_text(queryset, *fields: str):
    """`queryset` with ``shown_<field>`` for each of `fields`: its text in the active
    language (in_active_language)."""
    return queryset.annotate(**{f"shown_{field}": in_active_language(field) for field in fields})
