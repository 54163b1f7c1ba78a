"""``{{ venue|label:"kind" }}`` prints what ``venue.get_kind_display`` does, for less.

Django's ``get_FOO_display`` hashes every choice of the field, translating each label, on
every call; a page printing a label per row spent more on that than on the row. Here a field's
labels are read once per language.
"""

import functools

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def label(obj, field: str):
    """The label of the choice in ``obj.<field>``, or the value itself when it has none."""
    value = getattr(obj, field)
    return _labels(type(obj), field, get_language()).get(value, value)


@functools.cache
def _labels(model, field: str, _language: str | None) -> dict:
    return {value: str(text) for value, text in model._meta.get_field(field).flatchoices}
