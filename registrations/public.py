"""Keep ``Organization.is_public`` equal to ``selectors.organization_public_q()``.

The public pages name an institution only when it has a public role somewhere (a listed
registration, a host role, an agreement, a talk, a series, a key figure, a public child body).
Asking that with seven EXISTS per row costs a scan of every institution, so the answer is
stored on the row and refreshed here whenever a row that can change it is saved or deleted,
from any path that sends signals (the admin, imports, services, history reverts). Bulk writes
that send none (``generate_scale_data``, restores) call ``organization_public_refresh()``
themselves, or run ``manage.py refresh_public_institutions``.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

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
    public = organization_public_q()
    return organizations.filter(public, is_public=False).update(is_public=True) + (
        organizations.filter(is_public=True).exclude(public).update(is_public=False)
    )


# Each model whose rows give an institution a public role, and the attribute naming it.
_DIRECT = {
    Participation: "organization_id",
    EventHost: "organization_id",
    AgreementParty: "organization_id",
    KeyFigure: "organization_id",
    Series: "organizer_id",
    Person: "organization_id",  # the institution its talks name
    Organization: "parent_id",  # a public child names its parent
}


def _remember(sender, instance, **kwargs) -> None:
    instance._public_origin = instance.__dict__.get(_DIRECT[sender])


def _direct_changed(sender, instance, **kwargs) -> None:
    attribute = _DIRECT[sender]
    now, before = instance.__dict__.get(attribute), getattr(instance, "_public_origin", None)
    instance._public_origin = now
    ids = {now, before}
    if sender is Organization and kwargs.get("signal") is post_save and not kwargs.get("created"):
        # Its own flag too: the save may have written a stale one (a history revert builds it
        # without one). A new institution has no role yet: nothing can point at it.
        ids.add(instance.pk)
    organization_public_refresh(organization_ids=ids)


def _speaker_changed(sender, instance, **kwargs) -> None:
    organization_public_refresh(
        organization_ids=Person.objects.filter(pk=instance.person_id).values("organization_id")
    )


def _event_changed(sender, instance, **kwargs) -> None:
    unchanged = getattr(instance, "_public_published", None) == instance.is_published
    if kwargs.get("signal") is post_save and not kwargs.get("created") and unchanged:
        return
    instance._public_published = instance.is_published
    organization_public_refresh(organization_ids=_event_organizations(instance.pk))


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


def _agreement_changed(sender, instance, **kwargs) -> None:
    organization_public_refresh(
        organization_ids=AgreementParty.objects.filter(agreement_id=instance.pk).values(
            "organization_id"
        )
    )


def _session_changed(sender, instance, **kwargs) -> None:
    organization_public_refresh(
        organization_ids=SessionSpeaker.objects.filter(session_id=instance.pk).values(
            "person__organization_id"
        )
    )


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


def _remember_published(sender, instance, **kwargs) -> None:
    instance._public_published = instance.__dict__.get("is_published")


def connect() -> None:
    """Connect the receivers (from registrations.receivers.connect)."""
    for model in _DIRECT:
        uid = f"public-institution-{model._meta.label}"
        post_init.connect(_remember, sender=model, dispatch_uid=f"{uid}-init")
        post_save.connect(_direct_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_direct_changed, sender=model, dispatch_uid=f"{uid}-delete")
    post_init.connect(_remember_published, sender=Event, dispatch_uid="public-institution-event")
    post_save.connect(_event_changed, sender=Event, dispatch_uid="public-institution-event-save")
    post_save.connect(_agreement_changed, sender=Agreement, dispatch_uid="public-institution-agr")
    post_save.connect(_session_changed, sender=Session, dispatch_uid="public-institution-session")
    for model in (SessionSpeaker,):
        post_save.connect(_speaker_changed, sender=model, dispatch_uid="public-institution-spk")
        post_delete.connect(_speaker_changed, sender=model, dispatch_uid="public-institution-spk-d")
    for through in (EventHost, AgreementParty, SessionSpeaker):
        m2m_changed.connect(
            _through_changed,
            sender=through,
            dispatch_uid=f"public-institution-m2m-{through._meta.label}",
        )
