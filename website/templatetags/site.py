"""Tags every public page uses: language alternates, absolute URLs, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info

register = template.Library()

# BCP 47 spelling for <html lang> and hreflang.
HTML_LANG = {"en": "en", "zh-hans": "zh-Hans"}

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def html_lang(code: str) -> str:
    return HTML_LANG.get(code, code)


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """Return this page in every language: code, local name, path, absolute URL."""
    request = context.get("request")
    if request is None:
        return []
    path = request.path
    alternates = []
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if translated == path and not path.startswith(f"/{code}/"):
            translated = f"/{code}/"  # a path no view answers (a 404): that language's home
        query = request.GET.urlencode()
        href = f"{translated}?{query}" if query else translated
        alternates.append(
            {
                "code": code,
                "lang": html_lang(code),
                "name": get_language_info(code)["name_local"],
                "href": href,
                "url": request.build_absolute_uri(translated),
            }
        )
    return alternates


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


@register.filter
def json_ld(data) -> str:
    """Render a dict as a JSON-LD script, safe inside HTML.

    A JSON-LD block is data that browsers never run, so the Content-Security-Policy does not
    apply to it and it needs no nonce (which would go stale in a cached page).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
