"""HTML and dates for the tags that build list items: cards, a month's dates, writers.

A list page repeats its item twenty to two hundred times (the month view of the bench's
data shows 183 dates), so what each item costs is paid that often on a page rendered
afresh. These two do what Django's ``format_html`` and ``date`` filter do, with the same
output, for less:

- ``html()`` escapes each argument as ``format_html`` does (``__html__()`` when it has one,
  else ``html.escape(str(...))``), without the check for lazy arguments Django makes
  around every escape: 2.5 µs against 9 µs for a tag of seven arguments.
- ``date_label()`` is the ``date`` filter remembered per language, format and wall-clock
  time: a list shows the same few days and times over and over, and Django builds a
  formatter and looks up the month's and weekday's names for each.
"""

import datetime
import functools
import html as python_html

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import date
from django.utils.safestring import SafeString
from django.utils.translation import get_language


def _escaped(value) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return python_html.escape(str(value))


def html(template: str, *args) -> SafeString:
    """``format_html(template, *args)`` for positional arguments, for hot loops."""
    return SafeString(template.format(*map(_escaped, args)))


def joined(pieces) -> SafeString:
    """Pieces one after another: safe ones (made by ``html()``) as they are, anything else
    escaped."""
    return SafeString("".join(map(_escaped, pieces)))


@functools.lru_cache(maxsize=4096)
def _label(key: tuple) -> str:
    value, format_name, _language, _kind, _offset = key
    return date(value, format_name)


def date_label(value: datetime.date | datetime.datetime, format_name: str) -> str:
    """``date(value, format_name)``, remembered. For formats that name no time zone (the
    key holds the wall-clock time and its offset from UTC, not the zone's name)."""
    offset = value.utcoffset() if isinstance(value, datetime.datetime) else None
    return _label((value, format_name, get_language(), type(value), offset))


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "FORMAT_MODULE_PATH", "TIME_ZONE", "USE_TZ"):
        _label.cache_clear()
