"""Reads for the public pages, with their joins, so every page runs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import CharField, F, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from common.bilingual import plain
from events.models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Photo,
    Series,
    SessionSpeaker,
    Venue,
)
from followup.selectors import Outcomes, outcome_rates
from organizations.models import Organization
from organizations.selectors import organization_name_q
from registrations.models import Participation
from registrations.selectors import SeriesTotals, series_outcomes


def key_figures(figures: QuerySet[KeyFigure]) -> list[KeyFigure]:
    """Return reported figures with the person quoted for each, in their order."""
    return list(
        figures.select_related("reported_by__organization", "headline").only(
            *_all_columns(KeyFigure),
            "reported_by__organization",
            *_columns("reported_by__name"),
            *_columns("reported_by__organization__name"),
            "headline__compare_with",
        )
    )


def headline_of(figure: KeyFigure):
    """The figure's mark as a headline outcome claim (followup.HeadlineFigure), or None."""
    try:
        return figure.headline
    except ObjectDoesNotExist:
        return None


def can_see_drafts(user) -> bool:
    return bool(user is not None and user.is_active and user.is_staff)


def organization_name_ordering(prefix: str = ""):
    """Order institutions by their name as shown in the active language.

    A name missing in that language falls back to the other one, as on the page.
    """
    first, second = (
        ("name_zh_hans", "name_en")
        if (get_language() or "en").startswith("zh")
        else ("name_en", "name_zh_hans")
    )
    # The same expression as the partial indexes on Organization (organizations.models), with
    # the empty string written into the SQL as there: SQLite matches an index's expression only
    # to the same text, and sorted every public institution for each page when it was a bound
    # parameter (PostgreSQL's client-side binding writes it in anyway).
    return Coalesce(
        NullIf(f"{prefix}{first}", RawSQL("''", ())), f"{prefix}{second}", output_field=CharField()
    )


# --- editions ---------------------------------------------------------------------------------


def event_visible_list(*, user=None) -> QuerySet[Event]:
    """Return the editions a visitor may see: published ones, and drafts for staff."""
    events = Event.objects.select_related("series")
    if can_see_drafts(user):
        return events
    return events.published()


def event_upcoming_and_past(
    *, user=None, today: datetime.date | None = None
) -> tuple[list[Event], list[Event]]:
    today = today or timezone.localdate()
    events = event_visible_list(user=user)
    return list(events.upcoming(today=today)), list(events.past(today=today))


@dataclass
class HomePage:
    """What the home page leads with: the flagship series and its latest edition, then the next
    edition. Sample data leads only when there is nothing else."""

    series: Series | None
    reported: list[KeyFigure]
    latest: Event | None
    latest_participants: int
    latest_agreements: list[Agreement]
    latest_figures: list[KeyFigure]
    upcoming: Event | None


def home_page(*, user=None, today: datetime.date | None = None) -> HomePage:
    """Return the flagship series (the real series with the latest edition held), its reported
    figures and that edition's outcomes, and the next edition (a real one before a sample)."""
    today = today or timezone.localdate()
    events = event_visible_list(user=user)
    real = events.filter(series__is_sample=False)
    latest = real.past(today=today).first()
    upcoming = real.upcoming(today=today).first() or events.upcoming(today=today).first()
    series = latest.series if latest else (upcoming.series if upcoming else None)
    if series is not None and series.is_sample:
        series = None  # nothing real yet: the sample edition is shown, labelled, on its own
    return HomePage(
        series=series,
        reported=key_figures(series.key_figures.all()) if series else [],
        latest=latest,
        latest_participants=event_public_participations(event=latest).count() if latest else 0,
        latest_agreements=list(
            latest.agreements.order_by("signed_on", "pk").prefetch_related(
                agreement_parties_prefetch()
            )[:3]
        )
        if latest
        else [],
        latest_figures=key_figures(latest.key_figures.all()[:4]) if latest else [],
        upcoming=upcoming,
    )


def event_public_participations(*, event: Event) -> QuerySet[Participation]:
    return (
        Participation.objects.listed()
        .filter(event=event)
        .select_related("organization")
        .order_by(organization_name_ordering("organization__"), "pk")
    )


def participation_search(
    *, event: Event, query: str = "", kind: str = ""
) -> QuerySet[Participation]:
    """Search an edition's public participants by name in either language and by kind."""
    participations = event_public_participations(event=event)
    if query:
        participations = participations.filter(organization_name_q(query, prefix="organization__"))
    if kind:
        participations = participations.filter(organization__kind=kind)
    return participations.only(
        "event", "organization", *(f"organization__{c}" for c in DIRECTORY_COLUMNS)
    )


@dataclass
class VenueAgenda:
    venue: Venue | None
    sessions: list[SimpleNamespace] = field(default_factory=list)


def _columns(field: str) -> list[str]:
    """The column of each language of a translated field (``title_en``, ``title_zh_hans``)."""
    return [build_localized_fieldname(field, code) for code, _label in settings.LANGUAGES]


def _all_columns(model) -> list[str]:
    """Every field of ``model``, for an ``only()`` that reads a few columns of related rows:
    a translated model has three columns for each text, and each costs the ORM to select."""
    return [f.name for f in model._meta.concrete_fields]


def _joined(path: str, name: str) -> dict[str, F]:
    """The translated field at ``path`` of a related row, named ``{name}_{code}``, so that
    ``tr(row, name)`` reads a row of ``values()`` as it reads a model instance."""
    return {column.replace(path, name, 1): F(column) for column in _columns(path)}


def agenda_sessions(*, event: Event) -> list[SimpleNamespace]:
    """The edition's sessions in order, each with ``speakers`` in order, as plain rows.

    Read with ``values()`` in two queries: the agenda prints a few columns of hundreds of
    sessions, speakers, people and institutions, and building model instances for them cost
    most of the edition page (bench/render.py). Field names are the models' (``title_en``,
    ``position_zh_hans``); a speaker's person and institution are ``person_…`` and
    ``organization_…``.
    """
    sessions = {
        row["pk"]: SimpleNamespace(**row, speakers=[])
        for row in plain(event.sessions)
        .order_by("starts_at", "order", "pk")
        .values(
            "pk", "venue_id", "starts_at", "ends_at", *_columns("title"), *_columns("description")
        )
    }
    speakers = (
        plain(SessionSpeaker.objects.filter(session__event=event))
        .order_by("session_id", "order", "pk")
        .values(
            "session_id",
            "role",
            *_columns("position"),
            **_joined("person__name", "person_name"),
            **_joined("person__position", "person_position"),
            **_joined("person__organization__name", "organization_name"),
            organization_slug=F("person__organization__slug"),
        )
    )
    for row in speakers:
        sessions[row["session_id"]].speakers.append(SimpleNamespace(**row))
    return list(sessions.values())


@dataclass
class EventPage:
    event: Event
    hosts: list[EventHost]
    venues: list[Venue]
    agenda: list[VenueAgenda]
    participant_count: int
    first_participants: list[Participation]
    agreement_count: int
    first_agreements: list[Agreement]
    key_figures: list[KeyFigure]
    photos: list[Photo]
    has_times: bool = False  # some session has a time of day (shown in Beijing time)
    # Reported at or about the edition: the series' totals so far, and figures about the
    # bodies that took part (hosts, participating governments), grouped by body in host order.
    series_figures: list[KeyFigure] = field(default_factory=list)
    body_figures: list[tuple[Organization, list[KeyFigure]]] = field(default_factory=list)
    # The follow-up of the agreements signed at the edition (published parts only).
    outcomes: Outcomes | None = None

    @property
    def headlines(self) -> list[KeyFigure]:
        """Reported outcome claims of the edition, then of the whole series."""
        return [f for f in [*self.key_figures, *self.series_figures] if headline_of(f)]


#: What an agreement in a list shows (website/includes/agreement_item.html).
AGREEMENT_ITEM_COLUMNS = ("event", "kind", "signed_on", "amount_yuan", *_columns("title"))


def agreement_parties_prefetch() -> Prefetch:
    """An agreement's parties as ``party_list`` (a list: ``party_roles.all`` in a template
    clones a queryset each time it is read)."""
    return Prefetch(
        "party_roles",
        # A party is printed as its institution's linked name and its role.
        queryset=AgreementParty.objects.select_related("organization").only(
            "agreement", "role", "organization__slug", *_columns("organization__name")
        ),
        to_attr="party_list",
    )


def event_page(*, event: Event, first: int = 12, first_agreements: int = 10) -> EventPage:
    """Collect everything the edition page shows, in a fixed number of queries."""
    # A host is printed as its institution's linked name and its role.
    hosts = list(
        event.host_roles.select_related("organization").only(
            *_all_columns(EventHost), "organization__slug", *_columns("organization__name")
        )
    )
    venues = list(event.venues.all())
    sessions = agenda_sessions(event=event)
    by_venue: dict[int | None, VenueAgenda] = {v.pk: VenueAgenda(venue=v) for v in venues}
    loose = VenueAgenda(venue=None)
    for session in sessions:
        by_venue.get(session.venue_id, loose).sessions.append(session)
    agenda = [a for a in by_venue.values() if a.sessions]
    if loose.sessions:
        agenda.append(loose)

    participants = event_public_participations(event=event)
    agreements = event.agreements.order_by("signed_on", "pk")
    # Each figure has one subject (a constraint): the edition, its series or a host body.
    figures = key_figures(
        KeyFigure.objects.filter(
            Q(event=event)
            | Q(series_id=event.series_id)
            | Q(organization__in={host.organization_id for host in hosts})
        )
    )
    outcomes = outcome_rates(agreements=event.agreements.all(), public=True)
    return EventPage(
        event=event,
        hosts=hosts,
        venues=venues,
        agenda=agenda,
        # Counted apart: a window count over the sorted rows cost SQLite more than the query.
        participant_count=participants.count(),
        # Only what the teaser prints: a registration row is mostly contact details.
        first_participants=list(participation_search(event=event)[:first]),
        agreement_count=outcomes.agreements,
        first_agreements=list(
            agreements.only(*AGREEMENT_ITEM_COLUMNS).prefetch_related(agreement_parties_prefetch())[
                :first_agreements
            ]
        ),
        key_figures=[f for f in figures if f.event_id == event.pk],
        photos=list(
            event.photos.select_related("venue").only(
                *_all_columns(Photo), *_columns("venue__name")
            )
        ),
        has_times=any(session.starts_at for session in sessions),
        series_figures=[f for f in figures if f.series_id == event.series_id],
        body_figures=_body_figures(hosts, figures),
        outcomes=outcomes,
    )


def _body_figures(
    hosts: list[EventHost], figures: list[KeyFigure]
) -> list[tuple[Organization, list[KeyFigure]]]:
    bodies = list({host.organization_id: host.organization for host in hosts}.values())
    return [
        (body, found)
        for body in bodies
        if (found := [f for f in figures if f.organization_id == body.pk])
    ]


# --- agreements -------------------------------------------------------------------------------


def agreement_visible_list(*, user=None) -> QuerySet[Agreement]:
    """Agreements signed outside an edition or at one the visitor may see."""
    agreements = Agreement.objects.select_related("event").prefetch_related(
        agreement_parties_prefetch()
    )
    if can_see_drafts(user):
        return agreements
    return agreements.published()


# --- series -----------------------------------------------------------------------------------


def series_totals(*, series: Series, user=None) -> SeriesTotals:
    """What each edition the visitor may see and the series so far add up to (computed)."""
    return series_outcomes(series=series, include_drafts=can_see_drafts(user))


# --- institutions -----------------------------------------------------------------------------


def organization_visible_list(*, user=None) -> QuerySet[Organization]:
    organizations = Organization.objects.select_related("parent")
    if can_see_drafts(user):
        return organizations
    # Stored on the row (registrations.public): one partial index, not seven EXISTS per row.
    return organizations.filter(is_public=True)


def organization_directory(*, user=None, query: str = "", kind: str = "") -> QuerySet[Organization]:
    """The institutions a visitor may see, searched by name in either language and by kind;
    a page of them reads ``DIRECTORY_ROW``."""
    organizations = organization_visible_list(user=user)
    if query:
        organizations = organizations.filter(organization_name_q(query))
    if kind:
        organizations = organizations.filter(kind=kind)
    return organizations


#: What the edition page's first institutions read (participation_search, model instances).
DIRECTORY_COLUMNS = ("slug", "kind", "parent", *_columns("name"), *_columns("city"))
#: What a row of an institution table prints (website.templatetags.directory), for a page read
#: with ``values()`` (website.paging): the directory's rows with their parent's name, an
#: edition's participations with their institution.
INSTITUTION_ROW = ("slug", "kind", "parent_id", *_columns("name"), *_columns("city"))
DIRECTORY_ROW = (*INSTITUTION_ROW, *(f"parent__{column}" for column in _columns("name")))
PARTICIPANT_ROW = ("organization__pk", *(f"organization__{c}" for c in INSTITUTION_ROW))


@dataclass
class OrganizationPage:
    organization: Organization
    children: list[Organization]
    participations: list[Participation]
    host_roles: list[EventHost]
    agreement_roles: list[AgreementParty]
    key_figures: list[KeyFigure]


def organization_page(*, organization: Organization, user=None) -> OrganizationPage:
    drafts = can_see_drafts(user)
    participations = (
        Participation.objects.listed()
        .filter(organization=organization)
        .select_related("event")
        .order_by("-event__start_date")
    )
    host_roles = EventHost.objects.filter(organization=organization).select_related("event")
    agreement_roles = (
        AgreementParty.objects.filter(organization=organization)
        .select_related("agreement", "agreement__event")
        .order_by("-agreement__signed_on", "pk")
    )
    if not drafts:
        participations = participations.filter(event__is_published=True)
        host_roles = host_roles.filter(event__is_published=True)
        agreement_roles = agreement_roles.filter(Agreement.published_q("agreement__"))
    children = organization_visible_list(user=user).filter(parent=organization)
    return OrganizationPage(
        organization=organization,
        children=list(children.order_by(organization_name_ordering())),
        participations=list(participations),
        host_roles=list(host_roles.order_by("-event__start_date")),
        agreement_roles=list(agreement_roles),
        key_figures=key_figures(organization.key_figures.all()),
    )
