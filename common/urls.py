"""Addresses of records, built without resolving the URL patterns each time.

A list page links hundreds of records; ``reverse()`` walks the patterns for every link. The
address of a record differs from its neighbours' only by its slug, so the pattern is reversed
once per view name, language and script prefix, and the slug put in its place.
"""

import functools
from collections.abc import Callable
from urllib.parse import quote

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

_PLACEHOLDER = "908070605040302010"  # digits: matches the slug and the int converters


def reverse_record(viewname: str, key: str, value: str | int) -> str:
    """Return ``reverse(viewname, kwargs={key: value})`` for a slug or a number ``value``."""
    return record_addresses(viewname, key)(value)


def record_addresses(viewname: str, key: str) -> Callable[[str | int], str]:
    """``reverse_record`` for the records of one view on one page, the pattern read once."""
    pattern = _pattern(viewname, key, get_language(), get_script_prefix())
    return lambda value: pattern.replace(_PLACEHOLDER, quote(str(value), safe=""))


@functools.lru_cache(maxsize=256)
def _pattern(viewname: str, key: str, _language: str | None, _prefix: str) -> str:
    return reverse(viewname, kwargs={key: _PLACEHOLDER})
