"""Views shared by the apps."""

import logging
import secrets

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer "ok" while the process serves requests, for load balancers and uptime checks.

    It touches neither the database nor the cache, so it measures the server itself (the
    ceiling of the load benchmark) and stays up while a dependency is down.
    """
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"  # all a probe needs; never_cache's date work is not
    return response


def _database_ready() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Readiness: the database does not answer")
        # As DatabaseUnavailableMiddleware does: the next probe opens a new connection.
        connection = connections["default"]
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        return False


def _cache_ready(alias: str) -> bool:
    key = f"readyz:{secrets.token_hex(8)}"
    try:
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        answered = cache.get(key) == "1"
        cache.delete(key)
    except Exception:
        logger.exception("Readiness: the %s cache does not answer", alias)
        return False
    return answered


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Say whether this server can take traffic: 200 when the database and the shared caches
    answer, 503 with what is missing otherwise, for a load balancer's readiness probe.

    The shared caches are the page-cache stamps and, when the rate limits count in a cache, that
    one; pages themselves degrade to no cache, so they are not a condition.
    """
    aliases = ["stamps"]
    if settings.REGISTRATION_RATE_LIMIT_STORE == "cache":
        aliases.append(settings.RATELIMIT_USE_CACHE)
    checks = {"database": _database_ready()}
    checks["cache"] = all(_cache_ready(alias) for alias in dict.fromkeys(aliases))
    ready = all(checks.values())
    response = JsonResponse(
        {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        status=200 if ready else 503,
    )
    add_never_cache_headers(response)
    return response
