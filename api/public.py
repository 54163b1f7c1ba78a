"""Public, read-only endpoints: what the public pages show, as JSON in both languages."""

import enum
import hashlib
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router
from pydantic import Field

from common.pagecache import EDITIONS, INSTITUTIONS, SITE, edition_scope, stamps_read
from events.models import Agreement, AgreementParty, Event, EventHost, Series, SessionSpeaker
from followup.selectors import UNFOLLOWED, agreements_progress, outcome_rates
from organizations.models import Organization
from organizations.selectors import organization_name_q
from registrations.models import Participation
from registrations.selectors import edition_outcomes, organization_public, series_outcomes

from . import dump, schemas, serialize
from .errors import READ_ERRORS
from .pagination import CURSOR_PATTERN, paginate

router = Router(tags=["public"])

MAX_QUERY = 100
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


class When(enum.StrEnum):
    UPCOMING = "upcoming"
    PAST = "past"


# Literal, not the models' TextChoices: both are called "Kind" and would share one name in the
# schema's components.
InstitutionKind = Literal[tuple(Organization.Kind.values)]
AgreementKind = Literal[tuple(Agreement.Kind.values)]


class PageParams(schemas.Schema):
    cursor: str | None = Field(
        None, pattern=CURSOR_PATTERN, description="next_cursor of the previous page."
    )
    limit: int = Field(20, ge=1, le=100, description="Items per page (at most 100).")


class EditionFilters(PageParams):
    series: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="A series' slug."
    )
    when: When | None = Field(None, description="Only upcoming or only past editions.")
    q: str | None = Field(None, max_length=MAX_QUERY, description="Words of the title.")


class InstitutionFilters(PageParams):
    q: str | None = Field(None, max_length=MAX_QUERY, description="Words of the name.")
    kind: InstitutionKind | None = None


class AgreementFilters(PageParams):
    kind: AgreementKind | None = None
    edition: str | None = Field(
        None, max_length=100, pattern=SLUG_PATTERN, description="An edition's slug."
    )


def _parties():
    return Prefetch("party_roles", queryset=AgreementParty.objects.select_related("organization"))


def _editions():
    return Event.objects.published().select_related("series")


def _name_q(query: str | None, prefix: str = "") -> Q:
    query = (query or "").strip()
    if not query:
        return Q()
    return organization_name_q(query, prefix=prefix)


# --- series -----------------------------------------------------------------------------------


@router.get("/series", response={200: schemas.SeriesPage, **READ_ERRORS}, summary="List series")
def series_list(request: HttpRequest, params: Query[PageParams]):
    rows, page = paginate(
        request,
        Series.objects.select_related("organizer"),
        cursor=params.cursor,
        limit=params.limit,
    )
    return {"items": [serialize.series_summary(request, s) for s in rows], **page}


@router.get(
    "/series/{slug}",
    response={200: schemas.SeriesDetail, **READ_ERRORS},
    summary="A series: its editions, reported figures and computed outcomes",
)
def series_detail(request: HttpRequest, slug: str):
    series = get_object_or_404(Series.objects.select_related("organizer"), slug=slug)
    totals = series_outcomes(series=series)
    editions = _editions().filter(series=series).order_by("start_date", "pk")
    return {
        **serialize.series_summary(request, series),
        "editions": [serialize.edition_summary(request, e) for e in editions],
        "reported_figures": [serialize.key_figure(f) for f in series.key_figures.all()],
        "computed": serialize.series_computed(totals),
        "outcomes": [serialize.outcome(row) for row in totals.rows],
    }


@router.get(
    "/series/{slug}/open-data.json",
    response={200: schemas.SeriesDump, **READ_ERRORS},
    summary="Bulk open data of a series (JSON; the same as CSV files: open-data.zip)",
    description="Editions, agreements with parties, reported figures and computed outcomes, "
    "with the licence and the time it was generated. CSV files in a zip: "
    "`/api/v1/series/{slug}/open-data.zip`.",
)
def series_open_data(request: HttpRequest, slug: str):
    series = get_object_or_404(Series.objects.select_related("organizer"), slug=slug)
    return dump.series_dump(request, series)


# --- editions ---------------------------------------------------------------------------------


@router.get(
    "/editions",
    response={200: schemas.EditionPage, **READ_ERRORS},
    summary="List published editions",
)
def edition_list(request: HttpRequest, params: Query[EditionFilters]):
    editions = _editions()
    if params.series:
        editions = editions.filter(series__slug=params.series)
    if params.when is When.UPCOMING:
        editions = editions.filter(end_date__gte=timezone.localdate())
    elif params.when is When.PAST:
        editions = editions.filter(end_date__lt=timezone.localdate())
    if q := (params.q or "").strip():
        editions = editions.filter(Q(title_en__icontains=q) | Q(title_zh_hans__icontains=q))
    rows, page = paginate(request, editions, cursor=params.cursor, limit=params.limit)
    return {"items": [serialize.edition_summary(request, e) for e in rows], **page}


def _edition_content(request: HttpRequest, event: Event) -> dict:
    """The edition's programme, figures and counts: kept in the cache until any of them changes.

    Like the edition page's content fragment, under the same stamps and for as long
    (DJANGO_PUBLIC_FRAGMENT_CACHE_SECONDS); what depends on the time (registration) is not in it.
    """
    seconds = settings.PUBLIC_FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return _edition_content_build(request, event)
    stamps = stamps_read((SITE, EDITIONS, INSTITUTIONS, edition_scope(event.pk)))
    raw = "|".join([request.scheme, request.get_host(), str(event.pk), *sorted(stamps.values())])
    key = "api-edition:" + hashlib.md5(raw.encode()).hexdigest()  # noqa: S324 (a cache key)
    content = cache.get(key)
    if content is None:
        content = _edition_content_build(request, event)
        cache.set(key, content, seconds)
    return content


def _edition_content_build(request: HttpRequest, event: Event) -> dict:
    sessions = event.sessions.order_by("starts_at", "order", "pk").prefetch_related(
        Prefetch(
            "speaker_roles",
            queryset=SessionSpeaker.objects.select_related("person", "person__organization"),
        )
    )
    outcome = edition_outcomes(event_ids=[event.pk])[event.pk]
    return {
        "description": serialize.text(event, "description"),
        "address": serialize.text(event, "address"),
        "hosts": [
            serialize.role(request, host, EventHost.Role)
            for host in event.host_roles.select_related("organization")
        ],
        "venues": [
            {
                "id": venue.pk,
                "kind": venue.kind,
                "name": serialize.text(venue, "name"),
                "theme": serialize.text(venue, "theme"),
                "place": serialize.text(venue, "place"),
                "description": serialize.text(venue, "description"),
                "capacity": venue.capacity,
            }
            for venue in event.venues.all()
        ],
        "sessions": [
            {
                "id": session.pk,
                "venue_id": session.venue_id,
                "title": serialize.text(session, "title"),
                "description": serialize.text(session, "description"),
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "speakers": [
                    {
                        "name": serialize.text(speaker.person, "name"),
                        "position": serialize.text(speaker.person, "position"),
                        "institution": (
                            serialize.institution_ref(request, speaker.person.organization)
                            if speaker.person.organization_id
                            else None
                        ),
                        "role": speaker.role,
                        "role_label": serialize.label(SessionSpeaker.Role, speaker.role),
                    }
                    for speaker in session.speaker_roles.all()
                ],
            }
            for session in sessions
        ],
        "reported_figures": [serialize.key_figure(f) for f in event.key_figures.all()],
        "computed": serialize.computed(
            institutions=outcome.institutions, agreements=outcome.agreements, amount=outcome.amount
        ),
        "public_participants": Participation.objects.public().filter(event=event).count(),
    }


@router.get(
    "/editions/{slug}",
    response={200: schemas.EditionDetail, **READ_ERRORS},
    summary="An edition: hosts, venues, agenda with speakers, figures reported and computed",
)
def edition_detail(request: HttpRequest, slug: str):
    event = get_object_or_404(_editions(), slug=slug)
    return {**serialize.edition_summary(request, event), **_edition_content(request, event)}


@router.get(
    "/editions/{slug}/institutions",
    response={200: schemas.InstitutionPage, **READ_ERRORS},
    summary="Institutions taking part in an edition that agreed to be listed",
)
def edition_institutions(request: HttpRequest, slug: str, params: Query[InstitutionFilters]):
    event = get_object_or_404(_editions(), slug=slug)
    organizations = Organization.objects.filter(
        pk__in=Participation.objects.public().filter(event=event).values("organization_id")
    ).select_related("parent")
    organizations = organizations.filter(_name_q(params.q))
    if params.kind:
        organizations = organizations.filter(kind=params.kind)
    rows, page = paginate(request, organizations, cursor=params.cursor, limit=params.limit)
    return {"items": [serialize.institution(request, o) for o in rows], **page}


# --- institutions -----------------------------------------------------------------------------


@router.get(
    "/institutions",
    response={200: schemas.InstitutionPage, **READ_ERRORS},
    summary="List institutions the public pages name",
)
def institution_list(request: HttpRequest, params: Query[InstitutionFilters]):
    organizations = organization_public().select_related("parent").filter(_name_q(params.q))
    if params.kind:
        organizations = organizations.filter(kind=params.kind)
    rows, page = paginate(request, organizations, cursor=params.cursor, limit=params.limit)
    return {"items": [serialize.institution(request, o) for o in rows], **page}


@router.get(
    "/institutions/{slug}",
    response={200: schemas.Institution, **READ_ERRORS},
    summary="An institution (public fields only)",
)
def institution_detail(request: HttpRequest, slug: str):
    organization = get_object_or_404(organization_public().select_related("parent"), slug=slug)
    return serialize.institution(request, organization)


# --- agreements -------------------------------------------------------------------------------


@router.get(
    "/agreements",
    response={200: schemas.AgreementPage, **READ_ERRORS},
    summary="List agreements signed (outside editions or at published ones)",
)
def agreement_list(request: HttpRequest, params: Query[AgreementFilters]):
    agreements = Agreement.objects.published().select_related("event").prefetch_related(_parties())
    if params.kind:
        agreements = agreements.filter(kind=params.kind)
    if params.edition:
        agreements = agreements.filter(event=get_object_or_404(_editions(), slug=params.edition))
    rows, page = paginate(request, agreements, cursor=params.cursor, limit=params.limit)
    return {"items": [serialize.agreement(request, a) for a in rows], **page}


@router.get(
    "/agreements/{int:pk}",
    response={200: schemas.Agreement, **READ_ERRORS},
    summary="An agreement with its parties",
)
def agreement_detail(request: HttpRequest, pk: int):
    agreement = get_object_or_404(
        Agreement.objects.published().select_related("event").prefetch_related(_parties()),
        pk=pk,
    )
    return serialize.agreement(request, agreement)


# --- follow-up (branch followup) -----------------------------------------------------------------


@router.get(
    "/agreements/{int:pk}/progress",
    response={200: schemas.AgreementProgress, **READ_ERRORS},
    summary="An agreement's follow-up: stages, contracted amount, capital in place (as published)",
)
def agreement_progress(request: HttpRequest, pk: int):
    agreement = get_object_or_404(Agreement.objects.published(), pk=pk)
    progress = agreements_progress(agreements=[agreement.pk]).get(agreement.pk, UNFOLLOWED)
    return serialize.agreement_progress(agreement, progress)


@router.get(
    "/editions/{slug}/outcomes",
    response={200: schemas.Outcomes, **READ_ERRORS},
    summary="Follow-up rates and amounts of the agreements signed at an edition",
    description="Rates with their definitions and denominators (published progress only); "
    "amounts per currency, never converted; capital in place from verified entries only.",
)
def edition_followup_outcomes(request: HttpRequest, slug: str):
    event = get_object_or_404(_editions(), slug=slug)
    return serialize.followup_outcomes(
        outcome_rates(agreements=Agreement.objects.filter(event=event), public=True)
    )


@router.get(
    "/series/{slug}/outcomes",
    response={200: schemas.Outcomes, **READ_ERRORS},
    summary="Follow-up rates and amounts of the agreements signed at a series' editions",
)
def series_followup_outcomes(request: HttpRequest, slug: str):
    series = get_object_or_404(Series.objects.all(), slug=slug)
    agreements = Agreement.objects.filter(event__in=_editions().filter(series=series))
    return serialize.followup_outcomes(outcome_rates(agreements=agreements, public=True))
