"""The stamp store behind the public page cache: one random token per scope of data.

A cached page keeps the tokens of the scopes it was rendered from; a change replaces the tokens
of the scopes it affects once its transaction commits, so a page with an old token is rendered
again. A lost or evicted stamp is re-created with a new token: an eviction can only cause a
miss, never a stale page. The stamps live in the ``stamps`` cache, which every process of a
deployment shares (Redis, or files on a single machine).

This module knows nothing of the pages: it names the scopes, and the public-site app says which
changes bump which (``website.cache``); every reader of cached public data (the pages, the API)
depends on the same names. Bulk writes that send no model signals call
``public_pages_invalidate()``.
"""

import secrets
from collections.abc import Iterable

from django.core.cache import caches
from django.db import transaction

#: The scope every page depends on: bumping it outdates every cached page at once.
SITE = "site"

#: Kinds of data that lists across editions show; ``edition:<pk>`` is one edition's own rows.
EDITIONS = "editions"
INSTITUTIONS = "institutions"
REGISTRATIONS = "registrations"
AGREEMENTS = "agreements"
PROGRAMME = "programme"
ALL = (EDITIONS, INSTITUTIONS, REGISTRATIONS, AGREEMENTS, PROGRAMME)

STAMP_PREFIX = "stamp:"


def edition_scope(pk: int) -> str:
    """The scope of one edition's own rows (its venues, agenda, registrations, agreements)."""
    return f"edition:{pk}"


def _stamps():
    return caches["stamps"]


def _new_token() -> str:
    return secrets.token_hex(8)


def stamps_read(scopes: Iterable[str]) -> dict[str, str]:
    """Return the current token of each scope, creating missing ones."""
    keys = [STAMP_PREFIX + scope for scope in scopes]
    found = _stamps().get_many(keys)
    for key in keys:
        if key not in found:
            _stamps().add(key, _new_token(), timeout=None)
            found[key] = _stamps().get(key)
    return found


def stamps_current(stamps: dict[str, str]) -> bool:
    """Say whether the stamps (as returned by ``stamps_read``) are still the current ones."""
    return _stamps().get_many(list(stamps)) == stamps


def stamps_bump(scopes: Iterable[str]) -> None:
    """Give the scopes new tokens now: the pages rendered from them are out of date."""
    _stamps().set_many({STAMP_PREFIX + scope: _new_token() for scope in set(scopes)}, timeout=None)


def stamps_bump_on_commit(scopes: Iterable[str]) -> None:
    """Give the scopes new tokens once the current transaction commits (at once outside one).

    Not before: a page rendered in between would read the old rows under the new tokens.
    """
    scopes = frozenset(scopes)
    transaction.on_commit(lambda: stamps_bump(scopes))


def public_pages_invalidate() -> None:
    """Mark every cached public page out of date, e.g. after a bulk write or a restore."""
    stamps_bump([SITE])
