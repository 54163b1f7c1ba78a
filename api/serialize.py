"""From rows to the API's dictionaries (validated against ``schemas`` on the way out)."""

from decimal import Decimal
from functools import cache

from django.http import HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import translation

from events.models import Agreement, Event, KeyFigure, Series
from followup.models import Stage
from organizations.models import Organization
from registrations.selectors import EditionRow, SeriesTotals

CENT = Decimal("0.01")
LANGUAGES = (("en", "en"), ("zh-hans", "zh_hans"))


def text(obj, name: str) -> dict:
    return {key: getattr(obj, f"{name}_{key}") or "" for key in ("en", "zh_hans")}


@cache
def _label(choices, value: str) -> tuple[str, str]:
    member = choices(value)
    with translation.override("en"):
        en = str(member.label)
    with translation.override("zh-hans"):
        zh = str(member.label)
    return en, zh


def label(choices, value: str) -> dict:
    try:
        en, zh = _label(choices, value)
    except ValueError:  # a value no longer among the choices
        en = zh = value
    return {"en": en, "zh_hans": zh}


# Digits: valid for slug and int converters alike.
PLACEHOLDER = "9081726354453627180"


@cache
def _page_templates(name: str, kwarg: str, prefix: str) -> tuple[tuple[str, str], ...]:
    """The page's address in each language with a placeholder for its one argument.

    Reversing is the slowest part of a list of links; the URL patterns never change while the
    process runs (the script prefix is part of the key).
    """
    templates = []
    for language, key in LANGUAGES:
        with translation.override(language):
            templates.append((f"page_{key}", reverse(name, kwargs={kwarg: PLACEHOLDER})))
    return tuple(templates)


def _pages(name: str, **kwargs) -> dict:
    ((kwarg, value),) = kwargs.items()
    return {
        key: template.replace(PLACEHOLDER, str(value), 1)
        for key, template in _page_templates(name, kwarg, get_script_prefix())
    }


def _origin(request: HttpRequest) -> str:
    origin = getattr(request, "_api_origin", None)
    if origin is None:
        origin = request._api_origin = request.build_absolute_uri("/").rstrip("/")
    return origin


def links(request: HttpRequest, api: str, page: str | None = None, **kwargs) -> dict:
    origin = _origin(request)
    out = {"api": origin + api, "page_en": None, "page_zh_hans": None}
    if page:
        out.update({key: origin + url for key, url in _pages(page, **kwargs).items()})
    return out


def institution_ref(request: HttpRequest, organization: Organization) -> dict:
    return {
        "slug": organization.slug,
        "name": text(organization, "name"),
        "links": links(
            request,
            f"/api/v1/institutions/{organization.slug}",
            "organizations:detail",
            slug=organization.slug,
        ),
    }


def role(request: HttpRequest, row, choices) -> dict:
    return {
        "institution": institution_ref(request, row.organization),
        "role": row.role,
        "role_label": label(choices, row.role),
    }


def key_figure(figure: KeyFigure) -> dict:
    return {
        "label": text(figure, "label"),
        "qualifier": figure.qualifier,
        "value": str(figure.value.normalize()) if figure.value % 1 else str(int(figure.value)),
        "unit": figure.unit,
        "usd_equivalent": None if figure.usd_equivalent is None else str(figure.usd_equivalent),
        "as_of": figure.as_of,
        "source": text(figure, "source"),
        "source_url": figure.source_url,
    }


def _amount(value) -> str | None:
    """Yuan with two decimals, the same on every database (sums come back unscaled)."""
    return None if value is None else format(Decimal(value).quantize(CENT), "f")


def computed(*, institutions: int, agreements: int, amount) -> dict:
    return {"institutions": institutions, "agreements": agreements, "amount_yuan": _amount(amount)}


def outcome(row: EditionRow) -> dict:
    return {
        "edition": row.event.slug,
        **computed(institutions=row.institutions, agreements=row.agreements, amount=row.amount),
        "running_institutions": row.running_institutions,
        "running_agreements": row.running_agreements,
        "running_amount_yuan": _amount(row.running_amount),
    }


def series_computed(totals: SeriesTotals) -> dict:
    return computed(
        institutions=totals.institutions, agreements=totals.agreements, amount=totals.amount
    )


def series_summary(request: HttpRequest, series: Series) -> dict:
    return {
        "slug": series.slug,
        "name": text(series, "name"),
        "description": text(series, "description"),
        "organizer": institution_ref(request, series.organizer),
        "links": links(
            request, f"/api/v1/series/{series.slug}", "events:series_detail", slug=series.slug
        ),
    }


def _time(value) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def edition_summary(request: HttpRequest, event: Event) -> dict:
    forms = {"form_en": None, "form_zh_hans": None}
    if event.registration_opens_at is not None:
        forms = {
            key.replace("page_", "form_"): _origin(request) + url
            for key, url in _pages("registrations:register", slug=event.slug).items()
        }
    return {
        "slug": event.slug,
        "title": text(event, "title"),
        "summary": text(event, "summary"),
        "series": {"slug": event.series.slug, "name": text(event.series, "name")},
        "start_date": event.start_date,
        "end_date": event.end_date,
        "start_time": _time(event.start_time),
        "end_time": _time(event.end_time),
        "city": text(event, "city"),
        "registration": {
            "state": event.registration_state(),
            "opens_at": event.registration_opens_at,
            "closes_at": event.registration_closes_at,
            **forms,
        },
        "links": links(request, f"/api/v1/editions/{event.slug}", "events:detail", slug=event.slug),
    }


def institution(request: HttpRequest, organization: Organization) -> dict:
    capital = organization.capital_under_management
    return {
        **institution_ref(request, organization),
        "kind": organization.kind,
        "kind_label": label(Organization.Kind, organization.kind),
        "city": text(organization, "city"),
        "district": text(organization, "district"),
        "website": organization.website,
        "description": text(organization, "description"),
        "parent": (
            institution_ref(request, organization.parent) if organization.parent_id else None
        ),
        "capital_under_management_yuan": _amount(capital),
    }


def agreement(request: HttpRequest, agreement: Agreement) -> dict:
    event = agreement.event
    return {
        "id": agreement.pk,
        "kind": agreement.kind,
        "kind_label": label(Agreement.Kind, agreement.kind),
        "title": text(agreement, "title"),
        "purpose": text(agreement, "purpose"),
        "signed_on": agreement.signed_on,
        "amount_yuan": _amount(agreement.amount_yuan),
        "edition": None if event is None else {"slug": event.slug, "title": text(event, "title")},
        "parties": [role(request, party, party.Role) for party in agreement.party_roles.all()],
        "links": links(
            request,
            f"/api/v1/agreements/{agreement.pk}",
            "events:agreement_detail",
            pk=agreement.pk,
        ),
    }


# --- follow-up (branch followup) -----------------------------------------------------------------


def _both(value) -> dict:
    """A lazy text in both languages."""
    result = {}
    for language, key in (("en", "en"), ("zh-hans", "zh_hans")):
        with translation.override(language):
            result[key] = str(value)
    return result


def _amounts(amounts: dict | None) -> list[dict] | None:
    if amounts is None:
        return None
    return [{"currency": c, "amount": _amount(v)} for c, v in amounts.items()]


def followup_outcomes(outcomes) -> dict:
    return {
        "agreements": outcomes.agreements,
        "counted": outcomes.counted,
        "not_counted": outcomes.not_counted,
        "rates": [
            {
                "key": rate.key,
                "label": _both(rate.label),
                "definition": _both(rate.definition),
                "count": rate.count,
                "of": rate.of,
                "percent": None if rate.percent is None else str(rate.percent),
            }
            for rate in outcomes.rates
        ],
        "announced_amount_yuan": _amount(outcomes.announced_yuan),
        "contracted": _amounts(outcomes.contracted),
        "capital_in_place": _amounts(outcomes.realised),
        "capital_shares": [
            {
                "currency": share.currency,
                "in_place": _amount(share.in_place),
                "contracted": _amount(share.contracted),
                "agreements": share.agreements,
                "percent": None if share.percent is None else str(share.percent),
            }
            for share in outcomes.capital_shares
        ],
    }


def agreement_progress(agreement: Agreement, progress) -> dict:
    return {
        "agreement_id": agreement.pk,
        "stage": progress.stage if progress.shows_stage else None,
        "stage_label": label(Stage, progress.stage) if progress.shows_stage else None,
        "milestones": [
            {"stage": m.stage, "stage_label": label(Stage, m.stage), "reached_on": m.reached_on}
            for m in progress.milestones
        ],
        "announced_amount_yuan": _amount(agreement.amount_yuan),
        "contracted": (
            None
            if progress.contracted is None
            else {"currency": progress.contracted[1], "amount": _amount(progress.contracted[0])}
        ),
        "capital_in_place": _amounts(progress.realised),
    }
