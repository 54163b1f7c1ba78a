"""Cursor pagination: ordered by id, the cursor is the last id seen (opaque to clients).

Stable under inserts and deletes (a row never appears twice or is skipped because others
changed), one query per page whatever its depth, and the page size is capped.
"""

import base64
import binascii

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError


def _encode(pk: int) -> str:
    return base64.urlsafe_b64encode(f"id:{pk}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _sep, value = raw.partition(":")
        if kind != "id" or not value.isdigit() or len(value) > 18:
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise HttpError(400, "The cursor is not one this API gave out.") from error


def page_size_limit() -> int:
    return settings.API_MAX_PAGE_SIZE


def paginate(
    request: HttpRequest, queryset: QuerySet, *, cursor: str | None, limit: int
) -> tuple[list, dict]:
    """Return the rows of one page and the page's ``next_cursor`` and ``next`` fields."""
    limit = max(1, min(limit, page_size_limit()))
    if cursor:
        queryset = queryset.filter(pk__gt=_decode(cursor))
    rows = list(queryset.order_by("pk")[: limit + 1])
    if len(rows) <= limit:
        return rows, {"next_cursor": None, "next": None}
    rows = rows[:limit]
    next_cursor = _encode(rows[-1].pk)
    query = request.GET.copy()
    query["cursor"] = next_cursor
    return rows, {
        "next_cursor": next_cursor,
        "next": request.build_absolute_uri(f"{request.path}?{query.urlencode()}"),
    }
