"""Model fields every app uses: formatted text, clean images, choice arrays, search vectors."""

from django import forms
from django.apps import apps as global_apps
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import (
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import models, transaction
from django.db.models import signals
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from core import media
from core.images import store_clean_image, validate_image_upload
from core.sanitise import sanitise_html


class FormattedTextField(models.TextField):
    """HTML written by staff; sanitised with nh3 every time it is saved."""

    def pre_save(self, model_instance, add):
        value = sanitise_html(getattr(model_instance, self.attname))
        if not strip_tags(value).strip() and "<img" not in value:
            value = ""  # an emptied editor's "<p></p>" is no text (nor a translation)
        # Straight into the instance: on a translated field (modeltranslation) the attribute
        # is a descriptor that would copy an English fallback into the active language.
        model_instance.__dict__[self.attname] = value
        return value


def require_alt_text(instance, field: str) -> None:
    from django.core.exceptions import ValidationError

    if getattr(instance, field) and not getattr(instance, f"{field}_alt").strip():
        raise ValidationError(
            {f"{field}_alt": _("Describe the image for people who cannot see it.")}
        )


def search_vector_field(**weighted_fields: str) -> models.GeneratedField:
    """A stored tsvector, kept up to date by PostgreSQL itself (GIN-indexed by the model).

    ``search_vector_field(title="A", summary="B")`` weighs matches in titles highest.
    """
    vectors = [
        SearchVector(field, weight=weight, config="english")
        for field, weight in weighted_fields.items()
    ]
    expression = vectors[0]
    for vector in vectors[1:]:
        expression = expression + vector
    return models.GeneratedField(
        expression=expression, output_field=SearchVectorField(), db_persist=True, editable=False
    )


# Staff-edited content's languages (modeltranslation's columns, refuge/settings.py) and the
# PostgreSQL configuration each is searched with: Persian has none, so word for word.
TRANSLATION_SEARCH_CONFIGS = {"en": "english", "ar": "arabic", "fa": "simple"}


class AnyConfigMatch(SearchVectorExact):
    """A visitor's words read with each language's configuration, joined with OR.

    A translated vector holds English words stemmed as English and Arabic ones as Arabic,
    so the site search's one query is read again per configuration: "مهرجان" finds a
    strand whose Arabic title has "المهرجان". The query stays a constant: the GIN index
    is used.
    """

    def as_sql(self, compiler, connection):
        rhs = self.rhs
        if not isinstance(rhs, SearchQuery) or rhs.invert:
            return super().as_sql(compiler, connection)
        value = rhs.get_source_expressions()[-1]
        search_type = next(
            (name for name, function in SearchQuery.SEARCH_TYPES.items()
             if function == rhs.function),
            "plain",
        )  # fmt: skip
        combined = None
        for config in sorted(set(TRANSLATION_SEARCH_CONFIGS.values())):
            query = SearchQuery(value, config=config, search_type=search_type)
            combined = query if combined is None else combined | query
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = compiler.compile(combined.resolve_expression(compiler.query))
        return f"{lhs} @@ ({rhs_sql})", (*lhs_params, *rhs_params)


class TranslatedSearchVectorField(SearchVectorField):
    """A tsvector over every language's columns; matched in each language's configuration."""


TranslatedSearchVectorField.register_lookup(AnyConfigMatch)


def translated_search_vector_field(
    *, untranslated: dict[str, str] | None = None, **weighted_fields: str
) -> models.GeneratedField:
    """A stored tsvector over the translated columns of `weighted_fields` (``title_en``
    stemmed as English, ``title_ar`` as Arabic, ``title_fa`` word for word) and the
    `untranslated` fields (English), kept up to date by PostgreSQL itself."""
    vectors = [
        SearchVector(field, weight=weight, config="english")
        for field, weight in (untranslated or {}).items()
    ]
    vectors += [
        SearchVector(f"{field}_{language}", weight=weight, config=config)
        for field, weight in weighted_fields.items()
        for language, config in TRANSLATION_SEARCH_CONFIGS.items()
    ]
    expression = vectors[0]
    for vector in vectors[1:]:
        expression = expression + vector
    return models.GeneratedField(
        expression=expression,
        output_field=TranslatedSearchVectorField(),
        db_persist=True,
        editable=False,
    )


class CleanImageFormField(forms.ImageField):
    """Checks an upload where it arrives (never a file already stored), with our messages."""

    def to_python(self, data):
        # Our checks first, so a bomb or a huge file gets our message, not a generic one.
        if data is not None and hasattr(data, "size"):
            validate_image_upload(data)
            data.checked_as_image_upload = True  # the model field need not check it again
        return super().to_python(data)


class CleanImageField(models.ImageField):
    """An image stored only after its metadata is stripped, with renditions beside it.

    Pair it with ``<name>_width``/``<name>_height`` fields (so templates never
    open the file) and, where people see it, an ``<name>_alt`` text field.
    Stored names are random. ``public_when`` names a property of the record:
    while it is false the files are withheld (core/media.py). Files no
    record refers to any more are deleted once the change is committed.
    """

    def __init__(self, *args, public_when: str | None = None, **kwargs):
        self.public_when = public_when
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        # Real models only: migrations build models of their own (StateApps) as they run.
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            media.register_image_field(cls, self)
            signals.post_save.connect(self._after_save, sender=cls, weak=False)
            signals.post_delete.connect(self._after_delete, sender=cls, weak=False)

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        # A new file that did not come through the form (a script, a fixture) is checked
        # too; a file already stored was checked when it arrived and is never re-read.
        if (
            value
            and not value._committed
            and not getattr(value.file, "checked_as_image_upload", False)
        ):
            validate_image_upload(value)

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        # The size of a stored image is recorded when it is stored; re-reading it would
        # download the file on every save (and a withheld file is not where Django looks).
        if self.attname in instance.__dict__:
            file = getattr(instance, self.attname)
            if file and file._committed:
                return
        super().update_dimension_fields(instance, force, *args, **kwargs)

    def _is_public(self, instance) -> bool:
        return not self.public_when or bool(getattr(instance, self.public_when))

    def _width(self, instance) -> int | None:
        return getattr(instance, self.width_field) if self.width_field else None

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if not add and model_instance.pk is not None:
            previous = (
                type(model_instance)
                ._base_manager.filter(pk=model_instance.pk)
                .values_list(self.attname, self.width_field or self.attname)
                .first()
            )
            model_instance.__dict__[f"_previous_{self.attname}"] = previous
        if file and not file._committed:
            storage = self.storage if self._is_public(model_instance) else media.withheld_storage()
            stored = store_clean_image(
                storage, self.generate_filename(model_instance, "upload"), file
            )
            file.name = stored.name
            file._committed = True
            # Forget the upload (original bytes, pre-rotation size): the stored size is known.
            file._file = None
            file.__dict__.pop("_dimensions_cache", None)
            if self.width_field:
                setattr(model_instance, self.width_field, stored.width)
            if self.height_field:
                setattr(model_instance, self.height_field, stored.height)
        return file

    def _after_save(self, sender, instance, raw=False, **kwargs):
        if raw:
            return
        previous = instance.__dict__.pop(f"_previous_{self.attname}", None)
        file = getattr(instance, self.attname)
        if previous and previous[0] and previous[0] != file.name:
            old_name, old_width = previous[0], previous[1] if self.width_field else None
            transaction.on_commit(lambda: media.discard(old_name, old_width))
        if not file:
            return
        name, width = file.name, self._width(instance)
        if self._is_public(instance):
            # Only once committed (a rolled-back save must not have shown anything), and
            # only if the record, read again under a lock, still says so then: a later
            # save in this transaction or a colleague's may have withheld it meanwhile.
            model, pk = type(instance), instance.pk
            transaction.on_commit(lambda: media.reveal_if_public(model, pk, self))
        else:
            # At once, inside the transaction: if it rolls back, the image stays hidden.
            media.withhold(name, width)

    def _after_delete(self, sender, instance, **kwargs):
        file = getattr(instance, self.attname)
        if file:
            name, width = file.name, self._width(instance)
            transaction.on_commit(lambda: media.discard(name, width))


class ChoiceArrayField(ArrayField):
    """A PostgreSQL array of choices, edited as a group of checkboxes."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        # Skip ArrayField.formfield, which would force its comma-separated text input.
        return super(ArrayField, self).formfield(**defaults)


def image_upload_to(instance, filename: str) -> str:
    """strands/…, projects/…, events/…: one folder per kind of content."""
    return f"{instance._meta.model_name}s/{filename}"
