"""The stamp store behind the public page cache: one random token per scope of data.

A cached page keeps the tokens of the scopes it was rendered from; a change replaces the tokens
of the scopes it affects once its transaction commits, so a page with an old token is rendered
again. A lost or evicted stamp is re-created with a new token: an eviction can only cause a
miss, never a stale page. The stamps live in the ``stamps`` cache, which every process of a
deployment shares (Redis, or files on a single machine).

This module knows nothing of the pages or the domain: the public-site app names the scopes and
says which changes bump which (``website.cache``). Bulk writes that send no model signals call
``public_pages_invalidate()``.
"""

import logging
import secrets
from collections.abc import Iterable

from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

#: The scope every page depends on: bumping it outdates every cached page at once.
SITE = "site"

STAMP_PREFIX = "stamp:"


def _stamps():
    return caches["stamps"]


def _new_token() -> str:
    return secrets.token_hex(8)


class StampsUnavailableError(Exception):
    """The stamp store cannot be reached (Redis down): serve and store no cached page."""


#: A change whose stamps could not be replaced (the store was down): every page is outdated as
#: soon as the store answers again, so none rendered before the change is served after it.
_bump_pending = False


def stamps_read(scopes: Iterable[str]) -> dict[str, str]:
    """Return the current token of each scope, creating missing ones.

    Raises ``StampsUnavailableError`` when the store cannot be reached.
    """
    keys = [STAMP_PREFIX + scope for scope in scopes]
    try:
        _retry_pending_bump()
        found = _stamps().get_many(keys)
        for key in keys:
            if key not in found:
                _stamps().add(key, _new_token(), timeout=None)
                found[key] = _stamps().get(key)
    except StampsUnavailableError:
        raise
    except Exception as error:  # Redis, or a stamps folder, gone: see the module docstring
        logger.warning("Page-cache stamps unavailable: %s", error)
        raise StampsUnavailableError from error
    return found


def stamps_current(stamps: dict[str, str]) -> bool:
    """Say whether the stamps (as returned by ``stamps_read``) are still the current ones."""
    try:
        _retry_pending_bump()
        return _stamps().get_many(list(stamps)) == stamps
    except Exception as error:
        logger.warning("Page-cache stamps unavailable: %s", error)
        return False


def stamps_bump(scopes: Iterable[str]) -> None:
    """Give the scopes new tokens now: the pages rendered from them are out of date.

    When the store cannot be reached the change is remembered, and every page is outdated
    once it answers again (a change never fails because of the cache).
    """
    global _bump_pending  # noqa: PLW0603
    try:
        _stamps().set_many(
            {STAMP_PREFIX + scope: _new_token() for scope in set(scopes)}, timeout=None
        )
    except Exception:
        logger.exception("Page-cache stamps unavailable: every page is outdated once it is back")
        _bump_pending = True


def _retry_pending_bump() -> None:
    global _bump_pending  # noqa: PLW0603
    if _bump_pending:
        _stamps().set(STAMP_PREFIX + SITE, _new_token(), timeout=None)
        _bump_pending = False


def stamps_bump_on_commit(scopes: Iterable[str]) -> None:
    """Give the scopes new tokens once the current transaction commits (at once outside one).

    Not before: a page rendered in between would read the old rows under the new tokens.
    """
    scopes = frozenset(scopes)
    transaction.on_commit(lambda: stamps_bump(scopes))


def public_pages_invalidate() -> None:
    """Mark every cached public page out of date, e.g. after a bulk write or a restore."""
    stamps_bump([SITE])
