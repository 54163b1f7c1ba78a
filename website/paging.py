"""Keyset pagination for the long public lists (the directory, an edition's institutions).

A page is asked for by the row it follows (``?after=<pk>``) or precedes (``?before=<pk>``),
never by its number: each page reads its rows from an index in the list's order, however deep
it is, and no page counts the whole list. The count shown is capped (``count_capped``).

A page reads only the columns its table prints, as rows of ``values()`` (``website.selectors``
names them): building model instances for 50 rows cost about as much as rendering them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Expression, Q, QuerySet

from common.bilingual import plain

#: Counted up to this many rows; above it a list says "more than".
COUNT_CAP = 1000


@dataclass
class KeysetPage:
    object_list: list[SimpleNamespace]
    next_after: int | None  # the last row's pk, when a next page exists
    previous_before: int | None  # the first row's pk, when a previous page exists
    is_first: bool
    count: int  # up to COUNT_CAP + 1
    count_capped: bool

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_after or self.previous_before)


def _cursor(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def keyset_page(
    queryset: QuerySet,
    *,
    key: Expression,
    columns: Sequence[str],
    params,
    size: int,
) -> KeysetPage:
    """Return the page of ``queryset`` in the order (``key``, pk) that ``params`` asks for.

    Each row holds ``pk`` and ``columns``, under the model's attribute names: a related
    row's ``organization__slug`` is ``row.organization.slug``. ``params`` is the request's GET:
    ``after`` or ``before`` hold the pk of a row of the list; an unknown one (a row gone since)
    gives the first page.
    """
    rows = plain(queryset).alias(_key=key).values("pk", *columns)
    after, before = _cursor(params.get("after")), _cursor(params.get("before"))
    anchor_pk = after or before
    anchor = None
    if anchor_pk is not None:
        found = plain(queryset).filter(pk=anchor_pk).values_list(key, flat=True)
        anchor = next(iter(found[:1]), None)
    if anchor is None:
        after = before = None
    if before is not None:
        page = list(
            rows.filter(
                Q(_key__lt=anchor) | Q(_key=anchor, pk__lt=before), _key__lte=anchor
            ).order_by("-_key", "-pk")[: size + 1]
        )
        has_more = len(page) > size
        page = page[:size][::-1]
        previous_before = page[0]["pk"] if page and has_more else None
        next_after = page[-1]["pk"] if page else None
        is_first = not has_more
    else:
        if after is not None:
            rows_after = rows.filter(
                Q(_key__gt=anchor) | Q(_key=anchor, pk__gt=after), _key__gte=anchor
            )
        else:
            rows_after = rows
        page = list(rows_after.order_by("_key", "pk")[: size + 1])
        has_more = len(page) > size
        page = page[:size]
        next_after = page[-1]["pk"] if page and has_more else None
        previous_before = page[0]["pk"] if page and after is not None else None
        is_first = after is None
    # Unordered and without the ordering key, so that the count stops after COUNT_CAP + 1 rows
    # in any order the database finds them and joins nothing the filter does not need: with
    # the key, an edition's institutions were all joined and sorted by name to be counted.
    total = queryset.order_by()[: COUNT_CAP + 1].count()
    return KeysetPage(
        object_list=_objects(page),
        next_after=next_after,
        previous_before=previous_before,
        is_first=is_first,
        count=min(total, COUNT_CAP),
        count_capped=total > COUNT_CAP,
    )


def _objects(rows: list[dict]) -> list[SimpleNamespace]:
    """Rows of ``values()`` as objects: ``organization__slug`` becomes ``.organization.slug``;
    a related row whose columns are all empty (none was joined) becomes None."""
    if not rows:
        return []
    related = {}
    for name in rows[0]:
        prefix, nested, rest = name.partition("__")
        if nested:
            related.setdefault(prefix, []).append((name, rest))
    for prefix, names in related.items():
        # The rows are this page's own dicts: each related row's columns move into its own.
        columns = [{rest: row.pop(name) for name, rest in names} for row in rows]
        for row, values, nested_object in zip(rows, columns, _objects(columns), strict=True):
            joined = any(value is not None for value in values.values())
            row[prefix] = nested_object if joined else None
    return [SimpleNamespace(**row) for row in rows]
