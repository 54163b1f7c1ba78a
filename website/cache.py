"""Caching of the public pages that is never stale.

A page is stored together with the *stamps* (``common.pagecache``) of the data it was rendered
from: one per edition (``edition:<pk>``: everything shown on that edition's own pages) and one
per kind of data that lists across editions show (institutions, registrations, agreements,
programme, editions), plus ``site`` for everything at once. A stored page whose stamps are no
longer the current ones is rendered again.

Changes reach the stamps through signals on the models (the admin, imports, the registration
services) and, for bulk writes that send no signals (``generate_scale_data``, ``load_demo``,
restores), through ``common.pagecache.public_pages_invalidate()`` or
``manage.py invalidate_public_pages``.

Stamps live in the ``stamps`` cache, which every process of a deployment shares (Redis, or
files on a single machine); pages live in the ``default`` cache, which may be local to a
process. Only anonymous GET requests without a session or messages are served from and stored
in the cache, and only answers 200 that set no cookie and used no CSRF token.
"""

import datetime
import hashlib
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import get_language

from common.pagecache import (
    AGREEMENTS,
    ALL,  # noqa: F401 (re-exported: config.urls)
    EDITIONS,
    INSTITUTIONS,
    PROGRAMME,
    REGISTRATIONS,
    SITE,
    StampsUnavailableError,
    edition_scope,
    stamps_bump_on_commit,
    stamps_current,
    stamps_read,
)
from common.rows import built_in_memory

PAGE_PREFIX = "page:"


# --- pages ------------------------------------------------------------------------------------


@dataclass
class PageVersions:
    """The stamps a page depends on, read before its data, and until when it stays valid."""

    stamps: dict[str, str] = field(default_factory=dict)
    valid_until: float | None = None
    #: The stamp store was unreachable: the page renders from the database and is not stored.
    unavailable: bool = False

    def depend_on(self, *scopes: str, valid_until: datetime.datetime | None = None) -> str:
        try:
            self.stamps.update(stamps_read(scopes))
        except StampsUnavailableError:
            self.unavailable = True
            # A version no cached fragment has: fragments render afresh too.
            self.stamps["unavailable"] = secrets.token_hex(8)
        if valid_until is not None:
            until = valid_until.timestamp()
            self.valid_until = until if self.valid_until is None else min(self.valid_until, until)
        return self.version

    @property
    def version(self) -> str:
        """One string that changes whenever a stamp does: a key for fragment caches."""
        return hashlib.md5(  # noqa: S324 (a cache key, not security)
            "|".join(f"{k}={v}" for k, v in sorted(self.stamps.items())).encode()
        ).hexdigest()[:16]


def page_versions(request: HttpRequest) -> PageVersions:
    """The versions of the page being rendered (an empty set outside public_page views)."""
    versions = getattr(request, "page_versions", None)
    if versions is None:
        versions = request.page_versions = PageVersions()
    return versions


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and not request.user.is_authenticated
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def _keep_query(request: HttpRequest, names: frozenset[str]) -> None:
    """Leave the view only the query parameters it reads, in a fixed order.

    ``?utm_source=…`` and the like neither reach the view nor make a new cache entry: the page
    and its key depend on the same parameters, so no parameter can be forgotten in the key.
    """
    kept = QueryDict(mutable=True)
    for name in sorted(names & request.GET.keys()):
        kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def _page_key(request: HttpRequest) -> str:
    """Address, host, scheme and language of a page, and today's date (lists depend on it)."""
    raw = "|".join(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            timezone.localdate().isoformat(),
        ]
    )
    return PAGE_PREFIX + hashlib.md5(raw.encode()).hexdigest()  # noqa: S324


def _from_entry(entry: dict) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _valid(entry: dict) -> bool:
    if entry["valid_until"] is not None and time.time() >= entry["valid_until"]:
        return False
    return stamps_current(entry["stamps"])


def public_page(*scopes: str, query: Iterable[str] = ()) -> Callable:
    """Cache a public view's page for anonymous visitors until data it depends on changes.

    ``scopes`` are the stamps every page of the view depends on; a view adds those it learns
    while running (an edition's) with ``page_versions(request).depend_on(...)``. ``query`` names
    the query parameters the view reads (``q``, ``page``); the view sees no others, and pages
    are keyed on these alone. The page gets an ETag, so ConditionalGetMiddleware answers a
    matching If-None-Match with 304.
    """
    accepted = frozenset(query)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            _keep_query(request, accepted)
            cacheable = _cacheable_request(request)
            key = _page_key(request) if cacheable else ""
            if cacheable:
                entry = cache.get(key)
                if entry is not None and _valid(entry):
                    return _from_entry(entry)
            # Read the stamps before any data, so a change committed meanwhile outdates the page.
            page_versions(request).depend_on(SITE, *scopes)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                cacheable
                and not request.page_versions.unavailable
                and _cacheable_response(request, response)
            ):
                _store(key, request.page_versions, response)
            return response

        return wrapper

    return decorator


def _store(key: str, versions: PageVersions, response: HttpResponse) -> None:
    response["ETag"] = f'"{hashlib.md5(response.content).hexdigest()}"'  # noqa: S324
    timeout = settings.PUBLIC_PAGE_CACHE_SECONDS
    if versions.valid_until is not None:
        timeout = max(0, min(timeout, int(versions.valid_until - time.time())))
    if timeout <= 0:
        return
    entry = {
        "stamps": versions.stamps,
        "valid_until": versions.valid_until,
        "status": response.status_code,
        "content": response.content,
        "headers": list(response.items()),
    }
    cache.set(key, entry, timeout)


# --- what each change affects -----------------------------------------------------------------


def _event_id(instance, path: str) -> int | None:
    """Follow ``path`` (e.g. "session.event_id") from a changed row to its edition."""
    value = instance
    try:
        for part in path.split("."):
            value = getattr(value, part)
    except ObjectDoesNotExist:
        return None
    return value


# model label -> (scopes, path to the edition's id or None)
_AFFECTS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "events.Series": ((EDITIONS,), None),
    "events.Event": ((EDITIONS,), "pk"),
    "events.EventHost": ((PROGRAMME,), "event_id"),
    "events.Venue": ((PROGRAMME,), "event_id"),
    "events.Session": ((PROGRAMME,), "event_id"),
    "events.SessionSpeaker": ((PROGRAMME,), "session.event_id"),
    "events.Photo": ((PROGRAMME,), "event_id"),
    "events.KeyFigure": ((PROGRAMME,), "event_id"),
    "registrations.Participation": ((REGISTRATIONS,), "event_id"),
    "events.Agreement": ((AGREEMENTS,), "event_id"),
    "events.AgreementParty": ((AGREEMENTS,), "agreement.event_id"),
    # The follow-up shown on agreement, edition and series pages (what is published of it).
    "followup.FollowUp": ((AGREEMENTS,), "agreement.event_id"),
    "followup.Milestone": ((AGREEMENTS,), "followup.agreement.event_id"),
    "followup.CapitalEntry": ((AGREEMENTS,), "followup.agreement.event_id"),
    "organizations.Organization": ((INSTITUTIONS,), None),
    "organizations.Person": ((INSTITUTIONS,), None),
    # In every page's footer.
    "organizations.OrganizerContact": ((SITE,), None),
}


def _link(path: str) -> str:
    """The attribute holding the first step of ``path``: "event_id", "session_id", "pk"."""
    first = path.split(".", maxsplit=1)[0]
    return first if first == "pk" or first.endswith("_id") else f"{first}_id"


def _remember_origin(sender, instance, **kwargs) -> None:
    """Note where a row hangs when it is loaded, to notice a move to another edition."""
    _scopes, path = _AFFECTS[sender._meta.label]
    if path is not None:
        instance._cache_origin = instance.__dict__.get(_link(path))


def _origin_before_save(sender, instance, **kwargs) -> None:
    """A row built in memory instead of loaded (a history revert, ``Model(pk=…)``) has not seen
    where it hangs in the database: read it now, so a move also outdates the old edition."""
    _scopes, path = _AFFECTS[sender._meta.label]
    if path is None or not built_in_memory(instance):
        return
    link = _link(path)
    if link != "pk":
        instance._cache_origin = (
            sender._base_manager.filter(pk=instance.pk).values_list(link, flat=True).first()
        )


def _changed(sender, instance, **kwargs) -> None:
    affects = _AFFECTS.get(sender._meta.label)
    if affects is None:
        return
    scopes, path = affects
    if path is not None:
        event_id = _event_id(instance, path)
        # A row whose edition is already gone: the editions stamp covers every edition page.
        scopes = (*scopes, edition_scope(event_id) if event_id else EDITIONS)
        link = _link(path)
        origin, now = getattr(instance, "_cache_origin", None), instance.__dict__.get(link)
        if origin is not None and origin != now and link != "pk":
            # Moved to another edition (or session, agreement): the old page changes too.
            scopes = (*scopes, edition_scope(origin) if link == "event_id" else EDITIONS)
        instance._cache_origin = now
    stamps_bump_on_commit(scopes)


def _participation_venues_changed(sender, instance, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        from registrations.models import Participation

        if isinstance(instance, Participation):
            _changed(Participation, instance)
        else:  # changed from the venue's side
            _changed(type(instance), instance)


def _through_changed(sender, action, **kwargs) -> None:
    """``event.hosts.add()`` and the like write the through rows without their signals."""
    if action in {"post_add", "post_remove", "post_clear"}:
        stamps_bump_on_commit((*_AFFECTS[sender._meta.label][0], EDITIONS))


def connect() -> None:
    """Connect the signals that keep the stamps current (from WebsiteConfig.ready)."""
    from django.apps import apps

    from registrations.models import Participation

    for label in _AFFECTS:
        model = apps.get_model(label)
        post_init.connect(_remember_origin, sender=model, dispatch_uid=f"public-cache-{label}")
        pre_save.connect(
            _origin_before_save, sender=model, dispatch_uid=f"public-cache-pre-save-{label}"
        )
        post_save.connect(_changed, sender=model, dispatch_uid=f"public-cache-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public-cache-delete-{label}")
    for label in ("events.EventHost", "events.AgreementParty", "events.SessionSpeaker"):
        m2m_changed.connect(
            _through_changed, sender=apps.get_model(label), dispatch_uid=f"public-cache-m2m-{label}"
        )
    m2m_changed.connect(
        _participation_venues_changed,
        sender=Participation.venues.through,
        dispatch_uid="public-cache-participation-venues",
    )
