"""Fixed-window request limits per token and per client address, counted in the shared cache.

``cache.add`` then ``cache.incr`` is atomic in Redis and in the local-memory cache: two requests
never read the same count. With Redis (REDIS_URL) every app server counts in the same place;
without it each process counts on its own, so the limit is per process.
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest

from common.clientip import client_ip

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Verdict:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends
    period: int

    @property
    def allowed(self) -> bool:
        return self.remaining >= 0

    def headers(self) -> dict[str, str]:
        """The RateLimit header fields (IETF httpapi draft) and Retry-After when refused."""
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(max(self.remaining, 0)),
            "RateLimit-Reset": str(self.reset),
            "RateLimit-Policy": f"{self.limit};w={self.period}",
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset)
        return headers


def parse_rate(rate: str) -> tuple[int, int]:
    """``"120/m"`` → (120, 60)."""
    count, _sep, unit = rate.partition("/")
    return int(count), PERIODS[unit.strip()[:1]]


def bucket(request: HttpRequest) -> tuple[str, str]:
    """The counter a request counts against and its rate: its token's, or its address's."""
    authorization = request.headers.get("Authorization", "")
    if authorization:
        digest = hashlib.sha256(authorization.encode()).hexdigest()[:24]
        return f"token:{digest}", settings.API_RATE_LIMIT_TOKEN
    return f"ip:{client_ip(request) or 'unknown'}", settings.API_RATE_LIMIT_ANONYMOUS


def hit(name: str, rate: str, *, now: float | None = None) -> Verdict:
    """Count one request against ``name``; say whether it is within ``rate``."""
    limit, period = parse_rate(rate)
    now = time.time() if now is None else now
    window = int(now // period)
    key = f"api-rate:{name}:{window}"
    cache = caches[settings.RATELIMIT_USE_CACHE]
    try:
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.add(key, 1, timeout=period + 1)
            count = 1
    except Exception:  # the counter store is down: serve rather than refuse everyone
        logger.warning("API rate limit not counted: %s unreachable", settings.RATELIMIT_USE_CACHE)
        count = 0
    reset = max(1, int((window + 1) * period - now))
    return Verdict(limit=limit, remaining=limit - count, reset=reset, period=period)
