"""Per-address limits of the public forms: registrations sent, status links asked for.

A submission that would register takes a slot *before* the registration is made, with one
atomic increment that returns the new count, so 40 parallel submissions against a limit of 10
let exactly 10 through; one the service then refuses gives its slot back. Forms with typing
errors never take a slot.

The counts live where every app server sees them and an increment is atomic:

- ``cache``: the ``RATELIMIT_USE_CACHE`` cache, with ``add`` and ``incr`` (Redis: INCR). Used
  when ``REDIS_URL`` is set. A cache that cannot be reached fails closed: the submission is
  refused with ``RateLimitUnavailableError`` (a 503 page), never let through uncounted.
- ``database``: ``SubmissionCount`` rows, incremented by ``UPDATE … SET count = count + 1``.
  The default without Redis, where the default cache is local to each process.

``REGISTRATION_RATE_LIMIT_STORE`` chooses; ``REGISTRATION_RATE_LIMIT`` is e.g. ``10/h``.
"""

import contextlib
import datetime
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import _get_ip

from .models import SubmissionCount

logger = logging.getLogger(__name__)

SUBMIT = "registrations:submit"
FIND = "registrations:find"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimitUnavailableError(Exception):
    """The store of the counts cannot be reached: refuse rather than count nothing."""


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """Read ``10/h``, ``100/d``, ``5/10m``."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*", text or "")
        if match is None:
            raise ValueError(f"Unreadable rate {text!r}: use e.g. 10/h")
        count, multiplier, unit = match.groups()
        return cls(limit=int(count), period=int(multiplier or 1) * _UNITS[unit])


def _key(request: HttpRequest, group: str, rate: Rate) -> tuple[str, int]:
    """The counter of this address in the current window, and seconds until the window ends."""
    now = int(time.time())
    window = now // rate.period
    return f"rl:{group}:{_get_ip(request)}:{rate.period}:{window}", (window + 1) * rate.period - now


def _store() -> str:
    return settings.REGISTRATION_RATE_LIMIT_STORE


def _cache_add(key: str, amount: int, timeout: int) -> int:
    cache = caches[settings.RATELIMIT_USE_CACHE]
    try:
        cache.add(key, 0, timeout + 5)
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr: start again
        cache.add(key, 0, timeout + 5)
        return cache.incr(key, amount)
    except Exception as error:
        logger.exception("Rate-limit counter in the cache unavailable")
        raise RateLimitUnavailableError from error


def _database_add(key: str, amount: int, timeout: int) -> int:
    now = timezone.now()
    counts = SubmissionCount.objects
    with transaction.atomic():
        if not counts.filter(key=key).update(count=F("count") + amount):
            try:
                with transaction.atomic():
                    counts.create(
                        key=key,
                        count=max(amount, 0),
                        expires_at=now + datetime.timedelta(seconds=timeout),
                    )
            except IntegrityError:  # created meanwhile by another submission
                counts.filter(key=key).update(count=F("count") + amount)
            counts.filter(expires_at__lt=now).delete()
        return counts.get(key=key).count


def _add(request: HttpRequest, group: str, amount: int) -> tuple[int, Rate]:
    rate = Rate.parse(settings.REGISTRATION_RATE_LIMIT)
    key, timeout = _key(request, group, rate)
    add = _cache_add if _store() == "cache" else _database_add
    return add(key, amount, timeout), rate


def slot_take(request: HttpRequest, *, group: str = SUBMIT) -> bool:
    """Count one more submission of ``group`` from this address; say whether it is within the
    limit. Raises ``RateLimitUnavailableError`` when the counts cannot be reached."""
    count, rate = _add(request, group, 1)
    return count <= rate.limit


def slot_release(request: HttpRequest, *, group: str = SUBMIT) -> None:
    """Give back the slot of a submission that did nothing."""
    with contextlib.suppress(RateLimitUnavailableError):
        _add(request, group, -1)
