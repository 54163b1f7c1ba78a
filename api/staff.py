"""Staff endpoints: registrations listed and reviewed through ``registrations.services``."""

from typing import Annotated, Literal

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router
from pydantic import Field

from events.models import Event
from registrations import services
from registrations.models import Participation

from . import schemas, serialize
from .auth import TokenAuth, event_ids, require_event, require_read, require_review
from .errors import STAFF_ERRORS, WRITE_ERRORS
from .idempotency import idempotent
from .pagination import CURSOR_PATTERN, paginate

router = Router(tags=["staff"], auth=TokenAuth())


class RegistrationFilters(schemas.Schema):
    cursor: str | None = Field(None, pattern=CURSOR_PATTERN)
    limit: int = Field(20, ge=1, le=100)
    edition: str | None = Field(None, max_length=100, description="An edition's slug.")
    status: Literal[tuple(Participation.Status.values)] | None = None
    q: str | None = Field(None, max_length=100, description="Words of the institution's name.")


def _registrations(token):
    registrations = Participation.objects.select_related("event", "organization").prefetch_related(
        "venues"
    )
    ids = event_ids(token)
    if ids is not None:
        registrations = registrations.filter(event_id__in=ids)
    return registrations


def _registration(request: HttpRequest, participation: Participation) -> dict:
    data = {
        "id": participation.pk,
        "edition": participation.event.slug,
        "institution": serialize.institution_ref(request, participation.organization),
        "status": participation.status,
        "status_label": serialize.label(Participation.Status, participation.status),
        "delegates": participation.delegates,
        "venue_ids": [venue.pk for venue in participation.venues.all()],
        "listed_publicly": participation.listed_publicly,
        "contact_name": participation.contact_name,
        "contact_position": participation.contact_position,
        "contact_email": participation.contact_email,
        "contact_phone": participation.contact_phone,
        "language": participation.language,
        "created_at": participation.created_at,
        "updated_at": participation.updated_at,
    }
    return schemas.StaffRegistration.model_validate(data).model_dump(mode="json")


@router.get(
    "/registrations",
    response={200: schemas.StaffRegistrationPage, **STAFF_ERRORS},
    summary="List registrations (scope: read registrations)",
)
def registration_list(request: HttpRequest, params: Query[RegistrationFilters]):
    token = request.auth
    require_read(token)
    registrations = _registrations(token)
    if params.edition:
        event = get_object_or_404(Event, slug=params.edition)
        require_event(token, event)
        registrations = registrations.filter(event=event)
    if params.status:
        registrations = registrations.filter(status=params.status)
    if q := (params.q or "").strip():
        registrations = registrations.filter(
            Q(organization__name_en__icontains=q) | Q(organization__name_zh_hans__icontains=q)
        )
    rows, page = paginate(request, registrations, cursor=params.cursor, limit=params.limit)
    return {"items": [_registration(request, p) for p in rows], **page}


@router.get(
    "/registrations/{int:pk}",
    response={200: schemas.StaffRegistration, **STAFF_ERRORS},
    summary="A registration (scope: read registrations)",
)
def registration_detail(request: HttpRequest, pk: int):
    require_read(request.auth)
    return _registration(request, get_object_or_404(_registrations(request.auth), pk=pk))


def _decide(request: HttpRequest, pk: int, workflow):
    token = request.auth
    require_review(token)
    participation = get_object_or_404(_registrations(token), pk=pk)

    def action() -> tuple[int, dict]:
        try:
            changed = workflow(participation=participation, by=token.user)
        except services.RegistrationError as error:
            return 409, {"detail": str(error)}
        changed = _registrations(token).get(pk=changed.pk)
        return 200, _registration(request, changed)

    return idempotent(request, token, action)


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Any unique string; a retry with the same key gets the first answer.",
    ),
]

_WRITE_DOC = (
    "Scope: review registrations. Send an `Idempotency-Key` header to make retries safe: "
    "the same key and request get the first answer for 24 hours."
)


@router.post(
    "/registrations/{int:pk}/approve",
    response={200: schemas.StaffRegistration, **WRITE_ERRORS},
    summary="Approve, or wait-list when the places are taken",
    description=_WRITE_DOC,
)
def registration_approve(request: HttpRequest, pk: int, idempotency_key: IdempotencyKey = None):
    return _decide(request, pk, services.participation_approve)


@router.post(
    "/registrations/{int:pk}/waitlist",
    response={200: schemas.StaffRegistration, **WRITE_ERRORS},
    summary="Put on the waiting list",
    description=_WRITE_DOC,
)
def registration_waitlist(request: HttpRequest, pk: int, idempotency_key: IdempotencyKey = None):
    return _decide(request, pk, services.participation_waitlist)


@router.post(
    "/registrations/{int:pk}/reject",
    response={200: schemas.StaffRegistration, **WRITE_ERRORS},
    summary="Reject",
    description=_WRITE_DOC,
)
def registration_reject(request: HttpRequest, pk: int, idempotency_key: IdempotencyKey = None):
    return _decide(request, pk, services.participation_reject)
