"""Path converters that match only what a page can be found by.

Django's ``int`` takes any number of digits and its ``str`` anything but a slash, so
``/events/calendar/2026/99999999999999999999/`` reached ``datetime.date`` (an
OverflowError) and ``/writers/%00/`` reached PostgreSQL, which refuses a NUL byte: two
500s for what is simply no page. These converters turn such addresses into a 404 at
the resolver, for every route that uses them, before any view or query runs.

Registered on import; every ``urls`` module that names them imports this one.
"""

from django.urls import register_converter


class YearConverter:
    """``<year:year>``: four digits. The calendar's own range is the view's business."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return f"{int(value):04d}"


class MonthConverter:
    """``<month:month>``: 1 to 12, with or without a leading zero."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        month = int(value)
        if not 1 <= month <= 12:
            raise ValueError(value)  # the resolver's word for "no match": a 404
        return month

    def to_url(self, value) -> str:
        return str(int(value))


class DayConverter:
    """``<day:day>``: 1 to 31; whether the month has that day is the view's business."""

    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        day = int(value)
        if not 1 <= day <= 31:
            raise ValueError(value)
        return day

    def to_url(self, value) -> str:
        return str(int(value))


class UnicodeSlugConverter:
    """``<uslug:slug>``: what a ``SlugField(allow_unicode=True)`` accepts.

    The same characters as Django's ``validate_unicode_slug`` (letters and digits of
    any script, ``-`` and ``_``), so every stored slug has a URL and nothing else (a NUL,
    a dot, a ``%``, a space) reaches the database. Django's own ``slug`` is ASCII only.
    """

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")
register_converter(DayConverter, "day")
register_converter(UnicodeSlugConverter, "uslug")
