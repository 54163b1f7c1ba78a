"""Which language a translated field's text is in, and whether a record lacks a translation.

modeltranslation shows the other language's text when the active one is empty (see
``MODELTRANSLATION_FALLBACK_LANGUAGES``). Pages must then say so with ``lang``, so that screen
readers and fonts switch; staff must see what is missing. Both questions are answered here.
"""

import functools
import operator
import re
from functools import reduce

from django.conf import settings
from django.db.models import Q
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname, get_language, resolution_order

# BCP 47 spelling for the lang attribute.
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans"}

# A run of Latin words inside Chinese text (an English title, a romanised name): at least two
# letters, words joined by spaces and the punctuation English uses inside a title.
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’.&/\-]*(?:[ ,:]+[A-Za-z0-9][A-Za-z0-9'’.&/\-]*)*")


def html_lang(code: str) -> str:
    return HTML_LANG.get(code, code)


def plain(queryset):
    """``queryset`` without django-modeltranslation's rewriting (a model it does not
    translate has none), for ``values()`` naming each language's column (``title_en``): its
    fallback pass over every row costs more than reading the row."""
    return queryset.rewrite(False) if hasattr(queryset, "rewrite") else queryset


def translated_fields(model) -> tuple[str, ...]:
    """Return the names of a model's translated fields, or () when it has none."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def text_language(obj, field: str, *, language: str | None = None) -> str | None:
    """Return the language whose text ``obj.<field>`` shows in ``language`` (default: active).

    That is ``language`` itself when it has text, the fallback language otherwise, and None
    when no language has text.
    """
    return text_and_language(obj, field, language=language)[1]


def text_and_language(obj, field: str, *, language: str | None = None) -> tuple[str, str | None]:
    """Return the text ``obj.<field>`` shows in ``language`` (default: active) and its language.

    Read straight from the columns of each language: a page asks this hundreds of times.
    """
    for code, attname in _columns(field, language or get_language()):
        value = getattr(obj, attname, None)
        if value not in (None, ""):
            return value, code
    return "", None


@functools.cache
def _columns(field: str, language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (code, build_localized_fieldname(field, code)) for code in resolution_order(language)
    )


def missing_languages(obj, *, fields: tuple[str, ...] | None = None) -> list[str]:
    """Return the languages in which some field with text in another language is empty."""
    codes = [code for code, _name in settings.LANGUAGES]
    missing = set()
    for field in fields if fields is not None else translated_fields(type(obj)):
        values = {code: getattr(obj, build_localized_fieldname(field, code), "") for code in codes}
        if any(values.values()):
            missing.update(code for code, value in values.items() if not value)
    return [code for code in codes if code in missing]


def latin_runs(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each run of Latin words (two letters or more) in ``text``."""
    return [
        match.span()
        for match in LATIN_RUN.finditer(text)
        if sum(ch.isalpha() for ch in match.group()) >= 2
    ]


def missing_translation_q(model, language: str) -> Q:
    """Return a filter for rows of ``model`` where some translated field has text in another
    language but none in ``language``: what staff still have to translate."""
    others = [code for code, _name in settings.LANGUAGES if code != language]
    terms = []
    for field in translated_fields(model):
        own = build_localized_fieldname(field, language)
        for other in others:
            name = build_localized_fieldname(field, other)
            terms.append(
                (Q(**{f"{own}__isnull": True}) | Q(**{own: ""})) & Q(**{f"{name}__gt": ""})
            )
    return reduce(operator.or_, terms) if terms else Q(pk__in=[])
