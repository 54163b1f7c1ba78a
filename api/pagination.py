"""Cursor pagination: ordered by id, the cursor is the last id seen (opaque to clients:
always pass back ``next_cursor`` or follow ``next``).

Stable under inserts and deletes (a row never appears twice or is skipped because others
changed), one query per page whatever its depth, and the page size is capped.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

#: What a cursor looks like (validated by the endpoints' parameters).
CURSOR_PATTERN = r"^[0-9]{1,18}$"


def _encode(pk: int) -> str:
    return str(pk)


def _decode(cursor: str) -> int:
    if not (cursor.isascii() and cursor.isdigit() and len(cursor) <= 18):
        raise HttpError(400, "The cursor is not one this API gave out.")
    return int(cursor)


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
