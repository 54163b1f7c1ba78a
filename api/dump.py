"""The bulk open-data dump of a series: JSON, and CSV files in a zip, with licence and time."""

import csv
import io
import zipfile

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone

from events.models import Agreement, AgreementParty, Event, KeyFigure, Series
from followup.selectors import UNFOLLOWED, agreements_progress, outcome_rates
from registrations.selectors import series_outcomes

from . import serialize

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def licence() -> dict:
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def series_dump(request: HttpRequest, series: Series) -> dict:
    """Everything public about a series, in a fixed number of queries."""
    totals = series_outcomes(series=series)
    editions = list(
        Event.objects.published().filter(series=series).select_related("series").order_by("pk")
    )
    agreements = (
        Agreement.objects.published()
        .filter(event__in=editions)
        .select_related("event")
        .prefetch_related(
            Prefetch("party_roles", queryset=AgreementParty.objects.select_related("organization"))
        )
        .order_by("pk")
    )
    figures = KeyFigure.objects.filter(event__in=editions).select_related("event")
    progress = agreements_progress(agreements=agreements.values("pk"))
    return {
        "licence": licence(),
        "generated_at": timezone.now(),
        "source": request.build_absolute_uri("/"),
        "series": serialize.series_summary(request, series),
        "editions": [serialize.edition_summary(request, e) for e in editions],
        "agreements": [serialize.agreement(request, a) for a in agreements],
        "reported_figures": {
            "series": [serialize.key_figure(f) for f in series.key_figures.all()],
            "editions": [
                {"edition": f.event.slug, **serialize.key_figure(f)}
                for f in figures.order_by("event_id", "order", "pk")
            ],
        },
        "computed": serialize.series_computed(totals),
        "outcomes": [serialize.outcome(row) for row in totals.rows],
        "followup_outcomes": serialize.followup_outcomes(
            outcome_rates(agreements=Agreement.objects.filter(event__in=editions), public=True)
        ),
        "agreement_progress": [
            serialize.agreement_progress(a, progress.get(a.pk, UNFOLLOWED)) for a in agreements
        ],
    }


def _safe(value) -> str:
    """A cell as text; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([[_safe(cell) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode()  # BOM: Excel reads UTF-8


def series_zip(data: dict) -> bytes:
    """The dump as CSV files (one per table, both languages as columns) and a README."""

    def both(text: dict) -> list[str]:
        return [text["en"], text["zh_hans"]]

    figure_header = ["label_en", "label_zh_hans", "qualifier", "value", "unit"]
    figure_header += ["usd_equivalent", "as_of", "source_en", "source_zh_hans", "source_url"]

    def figure(f: dict) -> list:
        return [
            *both(f["label"]),
            f["qualifier"],
            f["value"],
            f["unit"],
            f["usd_equivalent"],
            f["as_of"],
            *both(f["source"]),
            f["source_url"],
        ]

    files = {
        "editions.csv": _csv(
            [
                "slug",
                "title_en",
                "title_zh_hans",
                "start_date",
                "end_date",
                "city_en",
                "city_zh_hans",
                "page_en",
                "page_zh_hans",
            ],
            [
                [
                    e["slug"],
                    *both(e["title"]),
                    e["start_date"],
                    e["end_date"],
                    *both(e["city"]),
                    e["links"]["page_en"],
                    e["links"]["page_zh_hans"],
                ]
                for e in data["editions"]
            ],
        ),
        "agreements.csv": _csv(
            [
                "id",
                "edition",
                "kind",
                "title_en",
                "title_zh_hans",
                "purpose_en",
                "purpose_zh_hans",
                "signed_on",
                "amount_yuan",
            ],
            [
                [
                    a["id"],
                    a["edition"]["slug"] if a["edition"] else "",
                    a["kind"],
                    *both(a["title"]),
                    *both(a["purpose"]),
                    a["signed_on"],
                    a["amount_yuan"],
                ]
                for a in data["agreements"]
            ],
        ),
        "agreement_parties.csv": _csv(
            ["agreement_id", "institution", "name_en", "name_zh_hans", "role"],
            [
                [a["id"], p["institution"]["slug"], *both(p["institution"]["name"]), p["role"]]
                for a in data["agreements"]
                for p in a["parties"]
            ],
        ),
        "reported_figures.csv": _csv(
            ["edition", *figure_header],
            [["", *figure(f)] for f in data["reported_figures"]["series"]]
            + [[f["edition"], *figure(f)] for f in data["reported_figures"]["editions"]],
        ),
        "agreement_progress.csv": _csv(
            [
                "agreement_id",
                "stage",
                "announced_amount_yuan",
                "contracted_amount",
                "contracted_currency",
                "capital_in_place",
            ],
            [
                [
                    p["agreement_id"],
                    p["stage"] or "",
                    p["announced_amount_yuan"],
                    p["contracted"]["amount"] if p["contracted"] else "",
                    p["contracted"]["currency"] if p["contracted"] else "",
                    ""
                    if p["capital_in_place"] is None
                    else " ".join(f"{c['amount']} {c['currency']}" for c in p["capital_in_place"]),
                ]
                for p in data["agreement_progress"]
            ],
        ),
        "agreement_milestones.csv": _csv(
            ["agreement_id", "stage", "reached_on"],
            [
                [p["agreement_id"], m["stage"], m["reached_on"]]
                for p in data["agreement_progress"]
                for m in p["milestones"]
            ],
        ),
        "computed_outcomes.csv": _csv(
            [
                "edition",
                "institutions",
                "agreements",
                "amount_yuan",
                "running_institutions",
                "running_agreements",
                "running_amount_yuan",
            ],
            [
                [
                    o["edition"],
                    o["institutions"],
                    o["agreements"],
                    o["amount_yuan"],
                    o["running_institutions"],
                    o["running_agreements"],
                    o["running_amount_yuan"],
                ]
                for o in data["outcomes"]
            ],
        ),
    }
    readme = (
        f"Open data of the series {data['series']['name']['en']} "
        f"({data['series']['name']['zh_hans']}).\n"
        f"Source: {data['source']}\n"
        f"Generated at: {data['generated_at'].isoformat()}\n"
        f"Licence: {data['licence']['name']} ({data['licence']['url']})\n\n"
        "reported_figures.csv holds numbers organizers or sources reported; "
        "computed_outcomes.csv what the site's data adds up to (approved institutions, "
        "agreements signed and the amounts they state).\n"
        "agreement_progress.csv and agreement_milestones.csv hold the follow-up of each agreement "
        "as published (empty cells: not published); capital in place counts verified entries "
        "only, per currency, never converted.\n"
        "Files are UTF-8 CSV; cells that a spreadsheet would take for a formula start with '.\n"
    )
    buffer = io.BytesIO()
    stamp = data["generated_at"].astimezone(timezone.get_current_timezone())
    date_time = stamp.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("README.txt", date_time), readme.encode())
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
