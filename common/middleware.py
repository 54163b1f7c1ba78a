"""Middleware shared by the apps."""

import functools
import logging

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.middleware import locale
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger(__name__)

# Seconds after which a client may try again.
RETRY_AFTER = 30


class DatabaseUnavailableMiddleware:
    """Answer with a translated 503 page when the database cannot be reached.

    A lost or refused database connection is an outage, not a bug in the page: the visitor
    learns that the site is briefly unavailable, and the broken connection is closed so the next
    request opens a new one. The page is rendered without context processors, which could
    themselves need the database.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable on %s %s", request.method, request.path, exc_info=True)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy of the settings built once per process.

    The library builds the header again for every response, twice (enforced and report-only)
    and from deep copies of the settings: a quarter of what Django spent on ``/healthz``
    (py-spy on a gunicorn worker). Between requests the header differs only by the nonce, so
    it is built once around a placeholder. Whatever this shortcut does not cover (a view
    changing the policy with the library's decorators, a report-only policy, excluded
    prefixes, the debug pages) is left to the library.
    """

    # Set on the response by the library's view decorators (csp.decorators).
    _PER_VIEW = frozenset(
        f"_csp_{name}{suffix}"
        for name in ("config", "update", "replace", "exempt")
        for suffix in ("", "_ro")
    )

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if _library_builds() or not self._PER_VIEW.isdisjoint(vars(response)):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        if HEADER not in response:
            response[HEADER] = _policy(True).replace(_NONCE, nonce) if nonce else _policy(False)
        if nonce is None:
            # As the library does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


_NONCE = "vcday-csp-nonce-placeholder"


@functools.cache
def _library_builds() -> bool:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    return bool(
        settings.DEBUG
        or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        or policy.get("EXCLUDE_URL_PREFIXES")
    )


@functools.cache
def _policy(with_nonce: bool) -> str:
    return build_policy(nonce=_NONCE if with_nonce else None)


def _forget_policy(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _library_builds.cache_clear()
        _policy.cache_clear()


setting_changed.connect(_forget_policy, dispatch_uid="common-csp-policy")


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, with the message storage made when first used.

    Making it (a session storage and a signed-cookie storage) cost a tenth of Django's time on
    every request (py-spy), while most requests never use messages: health checks, the API,
    the public pages served from their cache.
    """

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "_messages", None) is None or request._messages._wrapped is empty:
            return response  # no message was added or read: nothing to store
        return super().process_response(request, response)


class LocaleMiddleware(locale.LocaleMiddleware):
    """Django's LocaleMiddleware, with the language of the path looked up once per request.

    Django looks it up three times, and the active language twice more; on a path outside the
    language prefixes (/healthz, /api/, /admin/) each look-up tries the first segment as a
    language and fails through two exceptions: a fifth of /healthz through the whole stack
    (cachegrind). The language chosen and the headers are Django's; a 404 goes through
    Django's own answer (the redirect to the language-prefixed address).
    """

    def process_request(self, request: HttpRequest) -> None:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        from_path = _path_language(request)
        if i18n_patterns_used and from_path:
            language = from_path
        elif i18n_patterns_used and not prefixed_default_language:
            language = settings.LANGUAGE_CODE
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.to_language(language)  # what get_language() gives

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 404:
            return super().process_response(request, response)
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        i18n_patterns_used, _prefixed_default_language = is_language_prefix_patterns_used(urlconf)
        if not (i18n_patterns_used and _path_language(request)):
            patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def _path_language(request: HttpRequest) -> str | None:
    """The language prefix of the request's path, looked up once per path."""
    path, language = getattr(request, "_path_language", (None, None))
    if path != request.path_info:
        path, language = request.path_info, translation.get_language_from_path(request.path_info)
        request._path_language = (path, language)
    return language
