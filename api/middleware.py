"""What every ``/api/v1/`` answer gets: rate limits, CORS for public reads, caching headers,
and a server-side cache of public reads that is never stale (the public pages' stamps)."""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from common.pagecache import ALL, SITE, stamps_current, stamps_read

from . import ratelimit

PREFIX = "/api/v1/"
STAFF_PREFIX = "/api/v1/staff/"
EXPOSED = (
    "ETag, Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, RateLimit-Policy"
)


def _public_read(request: HttpRequest) -> bool:
    return request.method in {"GET", "HEAD"} and not request.path.startswith(STAFF_PREFIX)


def _cache_key(request: HttpRequest) -> str:
    raw = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            timezone.localdate().isoformat(),
        ]
    )
    return "api:" + hashlib.md5(raw.encode()).hexdigest()  # noqa: S324 (a cache key)


class ApiMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and not request.path.startswith(STAFF_PREFIX):
            return self._preflight()
        name, rate = ratelimit.bucket(request)
        verdict = ratelimit.hit(name, rate)
        if not verdict.allowed:
            response = HttpResponse(
                json.dumps({"detail": "Too many requests; try again after Retry-After seconds."}),
                status=429,
                content_type="application/json",
            )
        else:
            response = self._respond(request)
        for header, value in verdict.headers().items():
            response[header] = value
        self._decorate(request, response)
        return response

    def _respond(self, request: HttpRequest) -> HttpResponse:
        cacheable = (
            settings.API_CACHE_SECONDS > 0
            and _public_read(request)
            and "Authorization" not in request.headers
        )
        if not cacheable:
            return self.get_response(request)
        key = _cache_key(request)
        entry = cache.get(key)
        if entry is not None and stamps_current(entry["stamps"]):
            response = HttpResponse(entry["content"], content_type=entry["content_type"])
            response["ETag"] = entry["etag"]
            return response
        # Stamps first, data after: a change committed meanwhile outdates this answer.
        stamps = stamps_read((SITE, *ALL))
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming:
            etag = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324
            response["ETag"] = etag
            cache.set(
                key,
                {
                    "stamps": stamps,
                    "content": response.content,
                    "content_type": response["Content-Type"],
                    "etag": etag,
                },
                settings.API_CACHE_SECONDS,
            )
        return response

    @staticmethod
    def _preflight() -> HttpResponse:
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "If-None-Match"
        response["Access-Control-Max-Age"] = "86400"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    @staticmethod
    def _decorate(request: HttpRequest, response: HttpResponse) -> None:
        if _public_read(request):
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = EXPOSED
            if response.status_code < 400:
                response["Cache-Control"] = f"public, max-age={settings.API_BROWSER_CACHE_SECONDS}"
            else:
                response["Cache-Control"] = "no-cache"
        elif request.method in {"GET", "HEAD"}:
            # Staff reads: revalidate every time (ETag), never in a shared cache.
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = "no-store"
        if response.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
