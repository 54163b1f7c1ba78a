"""Translated fields on a page, with ``lang`` where the text is not in the page's language.

``{{ event|tr:"title" }}`` prints the field as modeltranslation resolves it. When the active
language has no text and the other language's text shows instead, it is wrapped in
``<span lang="…">``; inside Chinese text, runs of Latin words (an English article title, a
romanised name) are wrapped in ``<span lang="en">``. For a block of text (a description with
paragraphs), put ``{{ event|lang_attr:"description" }}`` on the element that holds it.
"""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from modeltranslation.utils import get_language

from common.bilingual import html_lang, latin_runs, text_and_language, text_language

register = template.Library()


def _mark_latin(text: str) -> SafeString:
    parts, last = [], 0
    for start, end in latin_runs(text):
        parts.append(escape(text[last:start]))
        parts.append(f'<span lang="en">{escape(text[start:end])}</span>')
        last = end
    parts.append(escape(text[last:]))
    return SafeString("".join(parts))  # every part is escaped above


def mark_text(text: str, *, language: str, page_language: str | None = None) -> SafeString:
    """Return ``text`` (in ``language``) escaped and marked for a page in ``page_language``."""
    page_language = page_language or get_language()
    if not text:
        return SafeString("")
    # A field's text, never markup. Escaped and marked safe without Django's checks for lazy
    # strings (``escape`` is what django.utils.html.escape calls): a page marks thousands.
    text = str(text)
    if language != page_language:
        return SafeString(f'<span lang="{html_lang(language)}">{escape(text)}</span>')
    if language.startswith("zh"):
        return _mark_latin(text)
    return SafeString(escape(text))


def translated(obj, field: str, page_language: str) -> SafeString:
    """``tr`` for a page in ``page_language``, for code that prints many fields of one page."""
    text, language = text_and_language(obj, field, language=page_language)
    if language is None:
        return SafeString("")
    return mark_text(text, language=language, page_language=page_language)


@register.filter
def tr(obj, field: str) -> SafeString:
    """Render a translated field inline, marked with ``lang`` where needed."""
    if obj is None or obj == "":
        return SafeString("")
    return translated(obj, field, get_language())


@register.filter
def names(objects, field: str = "name") -> SafeString:
    """The translated ``field`` of each object, joined with the list comma of the page's
    language (、 in Chinese)."""
    language = get_language()
    separator = escape(gettext(", "))
    return SafeString(separator.join(translated(obj, field, language) for obj in objects))


@register.filter
def lang_attr(obj, field: str) -> SafeString:
    """Return `` lang="…"`` for an element holding a field shown in the other language."""
    language = text_language(obj, field)
    if language is None or language == get_language():
        return SafeString("")
    return format_html(' lang="{}"', html_lang(language))
