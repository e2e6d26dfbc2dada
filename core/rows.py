"""Records read as plain values for the lists that show many of them.

Making a model instance costs more than the rest of its share of a page (its fields'
descriptors, modeltranslation's constructor, ``post_init`` for its images): a list of
twenty event cards made eighty of them. A list that only displays reads the columns it
shows with ``values_list()`` into these light stand-ins instead, and borrows the model's
own properties for everything it decides (``cancelled = Occurrence.cancelled``), so the
rules stay written once. Tests compare each stand-in with the model it stands for.
"""

from django.db.models.query import BaseIterable, ValuesListIterable

from core.translated import SOURCE_LANGUAGE, translation_language


class Row:
    """A record as plain values: ``Row({"slug": "x"}).slug``. ``translated_fields`` names
    the fields read per language (``title_en``, ``title_ar``…), for the "shown in
    English" mark (``core.translated.fallback_fields``)."""

    translated_fields: tuple[str, ...] = ()

    def __init__(self, values: dict):
        self.__dict__.update(values)


class StoredFile:
    """A file field of a ``Row`` (``image = StoredFile(Event)``), as the model's own
    attribute gives it: a ``FieldFile`` of the stored name the row read, with its storage,
    address and truth."""

    def __init__(self, model):
        self.model = model

    def __set_name__(self, owner, name: str):
        self.name = name

    def __get__(self, row, owner=None):
        if row is None:
            return self
        field = self.model._meta.get_field(self.name)
        return field.attr_class(row, field, row.__dict__[self.name])

    def __set__(self, row, value):  # a data descriptor, so the stored name stays beneath
        raise AttributeError(f"{self.name} of a row is read, never set")


class TranslatedValue:
    """A translated field of a ``Row``: the active language's text or, while it has none,
    the English, as modeltranslation's fallback gives; "" rather than None."""

    def __set_name__(self, owner, name: str):
        self.name = name

    def __get__(self, row, owner=None):
        if row is None:
            return self
        name = self.name
        return (
            getattr(row, f"{name}_{translation_language()}", "")
            or getattr(row, f"{name}_{SOURCE_LANGUAGE}", "")
            or ""
        )


def rows_of(queryset, columns: tuple[str, ...], make):
    """`queryset`, still lazy and still of its model (it can be filtered, counted, sliced
    and paginated, and its count joins nothing the rows read), whose results are
    ``make(row)`` instead of model instances, each row the tuple of `columns` that
    ``values_list()`` reads when the results are fetched. Keep the list it gives, not the
    queryset: the queryset does not pickle (its maker is a function of the moment).
    ``in_bulk()`` is Django's alone and refuses it."""
    clone = queryset.all()
    # The queryset's own hook for what its results are made of (``values()`` is built on
    # it): private to Django's QuerySet, and the only way to keep the queryset whole;
    # tests cover the queryset methods the views use on it.
    clone._iterable_class = _made_by(make, columns)
    return clone


def made_of(queryset):
    """A queryset of ``rows_of`` as what it runs: the ``values_list()`` queryset its rows
    are read with, and the function making each; None for any other queryset."""
    iterable = queryset._iterable_class
    if not (isinstance(iterable, type) and issubclass(iterable, _MadeRows)):
        return None
    return iterable.values_of(queryset), iterable.make


class _MadeRows(BaseIterable):
    make = staticmethod(lambda row: row)
    columns: tuple[str, ...] = ()

    @classmethod
    def values_of(cls, queryset):
        if hasattr(queryset, "rewrite"):
            # A translated model's queryset (modeltranslation) would read "title" as the
            # active language's column and reorder the columns: these name each.
            queryset = queryset.rewrite(False)
        return queryset.values_list(*cls.columns)

    def __iter__(self):
        values = self.values_of(self.queryset)
        rows = ValuesListIterable(values, self.chunked_fetch, self.chunk_size)
        return map(self.make, rows)


def _made_by(make, columns: tuple[str, ...]):
    return type("MadeRows", (_MadeRows,), {"make": staticmethod(make), "columns": columns})
