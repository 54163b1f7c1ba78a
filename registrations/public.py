"""Keep ``Organization.is_public`` equal to ``selectors.organization_public_q()``.

The public pages name an institution only when it has a public role somewhere (a listed
registration, a host role, an agreement, a talk, a series, a key figure, a child body).
Asking that with seven EXISTS per row costs a scan of every institution, so the answer is
stored on the row and kept here whenever a row that can change it is saved or deleted,
from any path that sends signals (the admin, imports, services, history reverts). Bulk writes
that send none (``generate_scale_data``, restores) call ``organization_public_refresh()``
themselves, or run ``manage.py refresh_public_institutions``.

Recomputing on every save made each saved row pay for building and running the seven EXISTS.
A save compares the row's columns that decide a role with those stored before it (read in
``pre_save``, not remembered when loaded: a history revert or another instance may have
changed the row since), and recomputes only when the flag can change: a role that may have
been an institution's last one is gone, or a row that may be a role now points at an
institution that is not public yet. A new role of a public institution costs one read.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from events.models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Series,
    Session,
    SessionSpeaker,
)
from organizations.models import Organization, Person

from .models import Participation
from .selectors import organization_public_q

_deferred: ContextVar[bool] = ContextVar("organization_public_deferred", default=False)


@contextmanager
def organization_public_deferred() -> Iterator[None]:
    """Skip the refresh on each signal inside the block (bulk writes that refresh once after,
    such as ``generate_scale_data``)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def organization_public_refresh(*, organization_ids: Iterable[int] | QuerySet | None = None) -> int:
    """Recompute ``is_public`` for these institutions (all when None); return rows changed."""
    if _deferred.get():
        return 0
    organizations = Organization.objects.all()
    if organization_ids is not None:
        if not isinstance(organization_ids, QuerySet):
            organization_ids = {pk for pk in organization_ids if pk is not None}
            if not organization_ids:
                return 0
        organizations = organizations.filter(pk__in=organization_ids)
    return _publish_if_named(organizations) + _hide_if_unnamed(organizations)


def _publish_if_named(organizations: QuerySet[Organization]) -> int:
    return organizations.filter(organization_public_q(), is_public=False).update(is_public=True)


def _hide_if_unnamed(organizations: QuerySet[Organization]) -> int:
    return (
        organizations.filter(is_public=True)
        .exclude(organization_public_q())
        .update(is_public=False)
    )


def _always(row: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class _Role:
    """How a row of one model gives an institution a public role (``organization_public_q``)."""

    institution: str  # the lookup from the row to the institution it names
    columns: tuple[str, ...]  # the fields whose change can give or take it; the first leads there
    may_hold: Callable[[Mapping[str, Any]], bool] = _always  # False: these values never give it
    new_rows_count: bool = True  # False: a new row names no one yet (rows must point at it)


_ROLES = {
    Participation: _Role(
        "organization",
        ("organization", "event", "status", "listed_publicly"),
        # The part of Participation.objects.public() the row itself holds.
        may_hold=lambda row: (
            row["status"] == Participation.Status.APPROVED and row["listed_publicly"]
        ),
    ),
    EventHost: _Role("organization", ("organization", "event")),
    AgreementParty: _Role("organization", ("organization", "agreement")),
    KeyFigure: _Role("organization", ("organization",)),
    Series: _Role("organizer", ("organizer",)),
    SessionSpeaker: _Role("person__organization", ("person", "session")),
    Person: _Role("organization", ("organization",), new_rows_count=False),  # through its talks
    # Any child names its parent. ``is_public`` rides along so that a save writes the stored
    # flag, never the one the instance was loaded or built with (see _before_role_save).
    Organization: _Role("parent", ("parent", "is_public")),
}


def _event_organizations(event_id: int) -> set[int]:
    return {
        *Participation.objects.filter(event_id=event_id).values_list("organization_id", flat=True),
        *EventHost.objects.filter(event_id=event_id).values_list("organization_id", flat=True),
        *AgreementParty.objects.filter(agreement__event_id=event_id).values_list(
            "organization_id", flat=True
        ),
        *SessionSpeaker.objects.filter(session__event_id=event_id).values_list(
            "person__organization_id", flat=True
        ),
    }


# Rows whose change moves other rows' roles in or out of a published edition: the field that
# decides, and the institutions those rows name.
_CONTAINERS: dict[type[Model], tuple[str, Callable[[int], Iterable[int] | QuerySet]]] = {
    Event: ("is_published", _event_organizations),
    Agreement: (
        "event",
        lambda pk: AgreementParty.objects.filter(agreement_id=pk).values("organization_id"),
    ),
    Session: (
        "event",
        lambda pk: SessionSpeaker.objects.filter(session_id=pk).values("person__organization_id"),
    ),
}

_UNWRITTEN = object()  # the save writes none of the columns that matter


def _stored_before_save(
    model: type[Model], instance: Model, update_fields, columns: tuple[str, ...], *lookups: str
) -> tuple | object | None:
    """The stored values of ``columns``, then of ``lookups``; None for a row not stored yet, or
    _UNWRITTEN when ``update_fields`` leaves the columns alone."""
    if instance.pk is None:
        return None
    if update_fields is not None and _written(model, update_fields).isdisjoint(columns):
        return _UNWRITTEN
    return model._base_manager.filter(pk=instance.pk).values_list(*columns, *lookups).first()


def _written(model: type[Model], update_fields) -> set[str]:
    return {model._meta.get_field(name).name for name in update_fields}


def _stored_after_save(
    model: type[Model], instance: Model, update_fields, columns: tuple[str, ...], before
) -> tuple:
    """What the row stores in ``columns`` now: the instance's values, but the stored ones for
    fields the save left alone (not in ``update_fields``, or deferred when it was loaded)."""
    written = None if update_fields is None else _written(model, update_fields)
    values = []
    for index, column in enumerate(columns):
        attname = model._meta.get_field(column).attname
        if (written is None or column in written) and attname in instance.__dict__:
            values.append(instance.__dict__[attname])
        else:
            values.append(before[index])
    return tuple(values)


def _before_role_save(sender, instance, update_fields=None, **kwargs) -> None:
    if _deferred.get():
        return
    role = _ROLES[sender]
    before = _stored_before_save(
        sender, instance, update_fields, role.columns, *_institution_lookups(role)
    )
    instance._public_before = before
    if sender is Organization and before is not _UNWRITTEN:
        # Derived, never authored by a save: a refresh since it was loaded, or a history
        # revert building it without one, must not leave a stale flag. A row not stored yet
        # has no role: nothing can point at it.
        instance.is_public = before[role.columns.index("is_public")] if before else False


def _institution_lookups(role: _Role) -> tuple[str, str]:
    # "__id": values_list() drops a repeated name ("organization" is often a column too).
    return f"{role.institution}__id", f"{role.institution}__is_public"


def _role_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if _deferred.get():
        return
    role = _ROLES[sender]
    before = instance.__dict__.pop("_public_before", None)
    if before is _UNWRITTEN:
        return
    now = _stored_after_save(sender, instance, update_fields, role.columns, before)
    moved = True
    if before is not None:
        *was, institution, public = before
        if tuple(was) == now:
            return
        if public and role.may_hold(dict(zip(role.columns, was, strict=True))):
            _hide_if_unnamed(Organization.objects.filter(pk=institution))
        moved = was[0] != now[0]
    elif not role.new_rows_count:
        return
    if now[0] is None or not role.may_hold(dict(zip(role.columns, now, strict=True))):
        return
    if moved:
        lookups = _institution_lookups(role)
        institution, public = (
            sender._base_manager.filter(pk=instance.pk).values_list(*lookups).get()
        )
    # A public institution needs nothing; one cleared just above has no role left at all.
    if institution is not None and not public:
        _publish_if_named(Organization.objects.filter(pk=institution))


def _role_deleted(sender, instance, **kwargs) -> None:
    if _deferred.get():
        return
    link, _, rest = _ROLES[sender].institution.partition("__")
    field = sender._meta.get_field(link)
    target = instance.__dict__.get(field.attname)
    if target is None:
        return
    named = field.related_model._base_manager.filter(pk=target).values(rest) if rest else [target]
    _hide_if_unnamed(Organization.objects.filter(pk__in=named))


def _before_container_save(sender, instance, update_fields=None, **kwargs) -> None:
    if _deferred.get():
        return
    column, _named = _CONTAINERS[sender]
    instance._public_before = _stored_before_save(sender, instance, update_fields, (column,))


def _container_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if _deferred.get():
        return
    column, named = _CONTAINERS[sender]
    before = instance.__dict__.pop("_public_before", None)
    # A row not stored before has nothing pointing at it yet.
    if before is None or before is _UNWRITTEN:
        return
    if _stored_after_save(sender, instance, update_fields, (column,), before) != before:
        organization_public_refresh(organization_ids=named(instance.pk))


def _through_changed(sender, instance, action, model, pk_set, **kwargs) -> None:
    """``event.hosts.add()`` and the like write the through rows without their signals."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action == "post_clear" or not pk_set:
        organization_public_refresh()
    elif model is Organization:
        organization_public_refresh(organization_ids=pk_set)
    elif model is Person:
        organization_public_refresh(
            organization_ids=Person.objects.filter(pk__in=pk_set).values("organization_id")
        )
    elif isinstance(instance, Organization):
        organization_public_refresh(organization_ids=[instance.pk])
    elif isinstance(instance, Person):
        organization_public_refresh(organization_ids=[instance.organization_id])
    else:
        organization_public_refresh()


def connect() -> None:
    """Connect the receivers (from registrations.receivers.connect)."""
    for model in _ROLES:
        uid = f"public-institution-{model._meta.label}"
        pre_save.connect(_before_role_save, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_role_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_role_deleted, sender=model, dispatch_uid=f"{uid}-delete")
    for model in _CONTAINERS:
        uid = f"public-institution-{model._meta.label}"
        pre_save.connect(_before_container_save, sender=model, dispatch_uid=f"{uid}-before")
        post_save.connect(_container_saved, sender=model, dispatch_uid=f"{uid}-save")
    for through in (EventHost, AgreementParty, SessionSpeaker):
        m2m_changed.connect(
            _through_changed,
            sender=through,
            dispatch_uid=f"public-institution-m2m-{through._meta.label}",
        )
