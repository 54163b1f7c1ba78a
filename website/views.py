"""The public pages: editions, series, agreements and institutions. Reads live in selectors.py."""

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from events.models import Agreement, Event, Series
from followup.selectors import agreement_progress, headline_figures, outcome_rates
from meetings.selectors import agreements_from_meetings
from organizations.models import Organization

from . import ics, selectors
from .cache import (
    AGREEMENTS,
    ALL,
    EDITIONS,
    INSTITUTIONS,
    edition_scope,
    page_versions,
    public_page,
)
from .paging import keyset_page
from .templatetags.money import format_amount

PARTICIPANTS_PER_PAGE = 50
INSTITUTIONS_PER_PAGE = 50
AGREEMENTS_PER_PAGE = 25


@require_safe
def root_redirect(request: HttpRequest) -> HttpResponse:
    """Send ``/`` to the home page in the language the browser asks for."""
    language = translation.get_language_from_request(request)
    response = HttpResponseRedirect(f"/{language}/")
    response["Vary"] = "Accept-Language, Cookie"
    return response


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        *(f"Disallow: /{code}/registrations/" for code, _name in settings.LANGUAGES),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def visible_event(request: HttpRequest, slug: str) -> Event:
    """Return the edition, or 404 when it is a draft and the visitor is not staff.

    The page then depends on the edition's stamp, read before anything else of the edition.
    """
    event = get_object_or_404(selectors.event_visible_list(user=request.user), slug=slug)
    page_versions(request).depend_on(
        edition_scope(event.pk), valid_until=registration_changes_at(event)
    )
    return event


def registration_changes_at(event: Event):
    """When the edition's registration next opens or closes, if it does in the future."""
    now = timezone.now()
    moments = [event.registration_opens_at, event.registration_closes_at]
    return min((m for m in moments if m is not None and m > now), default=None)


# Pages of one edition: its own rows, and names and editions shown on it.
edition_page = public_page(EDITIONS, INSTITUTIONS)
#: The query parameters of a searchable list paginated by keyset (website.paging).
LIST_QUERY = ("q", "kind", "after", "before")


def register_url(event: Event) -> str | None:
    """The registration form's address, when the registrations app provides one."""
    try:
        return reverse("registrations:register", kwargs={"slug": event.slug})
    except NoReverseMatch:
        return None


@method_decorator(public_page(*ALL), name="dispatch")
class HomeView(TemplateView):
    template_name = "website/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(home=selectors.home_page(user=self.request.user), today=timezone.localdate())
        return context


@method_decorator(public_page(EDITIONS), name="dispatch")
class EventListView(TemplateView):
    template_name = "website/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        upcoming, past = selectors.event_upcoming_and_past(user=self.request.user)
        context.update(upcoming=upcoming, past=past)
        return context


@method_decorator(edition_page, name="dispatch")
class EventDetailView(TemplateView):
    template_name = "website/event_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = visible_event(self.request, kwargs["slug"])
        # Read only when a fragment below is not cached.
        page = SimpleLazyObject(lambda: selectors.event_page(event=event))
        version = page_versions(self.request).version
        head = self.head(page, version=version)
        context.update(
            event=event,
            page=page,
            registration_state=event.registration_state(),
            register_url=register_url(event),
            json_ld=head["json_ld"],
            og_photo=head["og_photo"],
            fragment_version=version,
            fragment_seconds=settings.PUBLIC_FRAGMENT_CACHE_SECONDS,
        )
        return context

    def head(self, page: selectors.EventPage, *, version: str) -> dict:
        """The JSON-LD data and the preview photo, cached with the edition's content."""
        request = self.request
        key = (
            f"edition-head:{self.kwargs['slug']}:{translation.get_language()}:"
            f"{request.scheme}:{request.get_host()}:{version}"
        )

        def build() -> dict:
            reproduced = [p for p in page.photos if p.is_reproduced]
            photo = reproduced[0] if reproduced else None
            return {
                "json_ld": self.json_ld(page),
                "og_photo": photo and {"url": photo.image.url, "description": photo.description},
            }

        return cache.get_or_set(key, build, settings.PUBLIC_FRAGMENT_CACHE_SECONDS)

    def json_ld(self, page: selectors.EventPage) -> dict:
        """schema.org Event, for search engines."""
        event = page.event
        request = self.request
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event.title,
            "startDate": (event.starts_at or event.start_date).isoformat(),
            "endDate": (event.ends_at or event.end_date).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "inLanguage": translation.get_language(),
            "url": request.build_absolute_uri(event.get_absolute_url()),
            "location": {
                "@type": "Place",
                "name": event.address or event.city,
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": event.city,
                    "addressCountry": "CN",
                    **({"streetAddress": event.address} if event.address else {}),
                },
            },
            "superEvent": {"@type": "EventSeries", "name": event.series.name},
        }
        if event.summary or event.description:
            data["description"] = event.summary or event.description
        organizers = [
            {"@type": "Organization", "name": role.organization.name}
            for role in page.hosts
            if role.role in {"host", "co_host", "organizer"}
        ]
        if organizers:
            data["organizer"] = organizers
        images = [request.build_absolute_uri(p.image.url) for p in page.photos if p.is_reproduced]
        if images:
            data["image"] = images
        return data


@method_decorator(public_page(EDITIONS, INSTITUTIONS, query=LIST_QUERY), name="dispatch")
class EventParticipantListView(TemplateView):
    """All public participants of one edition, searchable by name and kind."""

    template_name = "website/participation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = visible_event(self.request, kwargs["slug"])
        query, kind = _list_filters(self.request)
        page = keyset_page(
            selectors.participation_search(event=event, query=query, kind=kind),
            key=selectors.organization_name_ordering("organization__"),
            columns=selectors.PARTICIPANT_ROW,
            params=self.request.GET,
            size=PARTICIPANTS_PER_PAGE,
        )
        context.update(
            event=event,
            page=page,
            participations=page.object_list,
            organizations=[participation.organization for participation in page.object_list],
            query=query,
            kind=kind,
            kinds=Organization.Kind.choices,
        )
        return context


def _list_filters(request: HttpRequest) -> tuple[str, str]:
    """The name searched for and the kind chosen (an unknown kind counts as none)."""
    kind = request.GET.get("kind", "")
    return request.GET.get("q", "").strip()[:100], kind if kind in Organization.Kind.values else ""


@require_safe
@edition_page
def event_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    event = visible_event(request, slug)
    body = ics.event_calendar(
        event=event,
        sessions=event.sessions.select_related("venue").order_by("starts_at", "order", "pk"),
        url=request.build_absolute_uri(event.get_absolute_url()),
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _chart_label(event: Event) -> str:
    """Label an edition in a chart by its month (titles are too long for the bars)."""
    return date_format(event.start_date, "YEAR_MONTH_FORMAT")


@method_decorator(public_page(*ALL), name="dispatch")
class SeriesDetailView(DetailView):
    model = Series
    template_name = "website/series_detail.html"
    context_object_name = "series"

    def get_queryset(self):
        return Series.objects.select_related("organizer")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        totals = selectors.series_totals(series=self.object, user=self.request.user)
        context.update(
            totals=totals,
            reported=selectors.key_figures(self.object.key_figures.all()),
            chart_institutions=[
                (_chart_label(row.event), row.institutions, intcomma(row.institutions))
                for row in totals.rows
            ],
            chart_amounts=[
                (_chart_label(row.event), row.amount, format_amount(row.amount) or "–")
                for row in totals.rows
            ],
        )
        context.update(self.followup_context(totals))
        return context

    def followup_context(self, totals) -> dict:
        """Outcomes of the series' agreements: rates, and signed vs capital in place per edition
        (yuan only in the chart; other currencies are listed apart, never converted)."""
        agreements = Agreement.objects.filter(event__in=[row.event for row in totals.rows])
        outcomes = outcome_rates(agreements=agreements, public=True)
        realised = outcomes.realised_per_event
        rows = [
            {
                "event": row.event,
                "announced": row.amount,
                "realised_yuan": realised.get(row.event.pk, {}).get("CNY"),
                "realised_other": {
                    currency: value
                    for currency, value in realised.get(row.event.pk, {}).items()
                    if currency != "CNY"
                },
            }
            for row in totals.rows
            if row.agreements
        ]
        return {
            "outcomes": outcomes,
            "from_meetings": agreements_from_meetings(agreements=agreements),
            "headlines": headline_figures(series=self.object),
            "outcome_rows": rows,
            "chart_signed_realised": [
                (
                    _chart_label(row["event"]),
                    row["announced"],
                    format_amount(row["announced"]) or gettext("no amounts stated"),
                    row["realised_yuan"],
                    format_amount(row["realised_yuan"]) or gettext("none published"),
                )
                for row in rows
            ],
        }


@method_decorator(
    public_page(EDITIONS, INSTITUTIONS, AGREEMENTS, query=("kind", "edition", "page")),
    name="dispatch",
)
class AgreementListView(ListView):
    template_name = "website/agreement_list.html"
    context_object_name = "agreements"
    paginate_by = AGREEMENTS_PER_PAGE

    def get_queryset(self):
        kind = self.request.GET.get("kind", "")
        self.kind = kind if kind in Agreement.Kind.values else ""
        agreements = selectors.agreement_visible_list(user=self.request.user)
        if self.kind:
            agreements = agreements.filter(kind=self.kind)
        self.edition = None
        if slug := self.request.GET.get("edition"):
            self.edition = get_object_or_404(
                selectors.event_visible_list(user=self.request.user), slug=slug
            )
            agreements = agreements.filter(event=self.edition)
        return agreements.order_by("-signed_on", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(kind=self.kind, kinds=Agreement.Kind.choices, edition=self.edition)
        return context


@method_decorator(public_page(EDITIONS, INSTITUTIONS, AGREEMENTS), name="dispatch")
class AgreementDetailView(DetailView):
    template_name = "website/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return selectors.agreement_visible_list(user=self.request.user).select_related(
            "event__series"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress"] = agreement_progress(agreement=self.object)
        return context


@method_decorator(public_page(*ALL, query=LIST_QUERY), name="dispatch")
class OrganizationListView(TemplateView):
    template_name = "website/organization_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, kind = _list_filters(self.request)
        page = keyset_page(
            selectors.organization_directory(user=self.request.user, query=query, kind=kind),
            key=selectors.organization_name_ordering(),
            columns=selectors.DIRECTORY_ROW,
            params=self.request.GET,
            size=INSTITUTIONS_PER_PAGE,
        )
        context.update(
            page=page,
            organizations=page.object_list,
            query=query,
            kind=kind,
            kinds=Organization.Kind.choices,
        )
        return context


@method_decorator(public_page(*ALL), name="dispatch")
class OrganizationDetailView(TemplateView):
    template_name = "website/organization_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = get_object_or_404(
            selectors.organization_visible_list(user=self.request.user), slug=kwargs["slug"]
        )
        context.update(
            organization=organization,
            page=selectors.organization_page(organization=organization, user=self.request.user),
        )
        return context
