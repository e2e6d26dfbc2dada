"""Widgets built in Python, for forms that every page of a list shows (the events filters).

Django renders a widget through its template, which includes a template for its
attributes and, in a select, one for each option and each option's attributes: the
events list's filters made 65 includes a page. These give the same HTML (Django's
templates put line breaks between a select's options; these do not) for the same
context (``get_context``), built with ``core.markup.html()``. A select with option
groups is left to Django.
"""

from django import forms
from django.utils.safestring import SafeString

from core.markup import html, joined


def _attributes(attrs: dict) -> SafeString:
    """As django/forms/widgets/attrs.html: a True value is the name alone, False none."""
    return joined(
        html(" {}", name) if value is True else html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )


class _BuiltInPython:
    def render(self, name, value, attrs=None, renderer=None):
        return self.build(self.get_context(name, value, attrs)["widget"])


class _Input(_BuiltInPython):
    def build(self, widget: dict) -> SafeString:
        value = "" if widget["value"] is None else html(' value="{}"', widget["value"])
        return html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value,
            _attributes(widget["attrs"]),
        )


class Select(_BuiltInPython, forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        if any(group_name for group_name, _group, _index in context["widget"]["optgroups"]):
            return super(_BuiltInPython, self).render(name, value, attrs, renderer)
        return self.build(context["widget"])

    def build(self, widget: dict) -> SafeString:
        options = joined(
            html(
                '<option value="{}"{}>{}</option>',
                option["value"],
                _attributes(option["attrs"]),
                option["label"],
            )
            for _name, group, _index in widget["optgroups"]
            for option in group
        )
        return html(
            '<select name="{}"{}>{}</select>', widget["name"], _attributes(widget["attrs"]), options
        )


class CheckboxInput(_Input, forms.CheckboxInput):
    pass


class DateInput(_Input, forms.DateInput):
    pass
