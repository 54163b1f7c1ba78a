"""Tags every public page uses: language alternates, absolute URLs, JSON-LD."""

import functools
import json

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, override

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
    query = request.GET.urlencode()
    alternates = []
    for code, _name in settings.LANGUAGES:
        path = _path_in(request, code)
        alternates.append(
            {
                "code": code,
                "lang": html_lang(code),
                "name": get_language_info(code)["name_local"],
                "href": f"{path}?{query}" if query else path,
                "url": request.build_absolute_uri(path),
            }
        )
    return alternates


def _path_in(request, code: str) -> str:
    """The path of the requested page in language ``code``.

    Reversed from the match the request was resolved to (``translate_url`` would resolve the
    path again). A path no view answers (a 404), or one outside the language prefixes (a
    sitemap's 404), is itself in its own language, and that language's home in the others.
    """
    home = f"{get_script_prefix()}{code}/"
    match = request.resolver_match
    if match is not None and match.url_name is not None:
        with override(code):
            try:
                path = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                path = ""
        if path.startswith(home):
            return path
    return request.path if request.path_info.startswith(f"/{code}/") else home


@register.simple_tag
def fixed_url(view_name: str) -> str:
    """``{% url %}`` of a page without arguments, such as the layout's links.

    Reversed once per process for each language, script prefix and URLconf, the only things
    it depends on: a fact of the code that no data changes, which every page printed anew.
    """
    return _fixed_url(
        view_name, get_language(), get_script_prefix(), get_urlconf(settings.ROOT_URLCONF)
    )


@functools.lru_cache(maxsize=64)  # bounded: a proxy may pass any SCRIPT_NAME
def _fixed_url(view_name: str, language: str | None, script_prefix: str, urlconf: str) -> str:
    return reverse(view_name, urlconf=urlconf)


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
