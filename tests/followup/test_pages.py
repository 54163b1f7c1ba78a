"""The public outcomes: an agreement's timeline, an edition's and a series' rates, in both
languages, only what staff published, and queries that do not grow with the agreements."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Stage
from followup.services import capital_entry_verify, followup_stage_change, followup_stage_withdraw
from tests.factories import AgreementFactory, CapitalEntryFactory, FollowUpFactory

from .conftest import SIGNED, TODAY

pytestmark = pytest.mark.django_db


def _progressed(edition, *, publish=True, currency="CNY", amount=300_000_000):
    followup = FollowUpFactory(
        agreement=AgreementFactory(event=edition, signed_on=SIGNED, amount_yuan=10**9),
        publish_stage=publish,
        publish_amounts=publish,
        publish_realised=publish,
        contracted_amount=Decimal(800_000_000),
        notes="Secret negotiation note",
    )
    followup_stage_change(
        followup=followup,
        stage=Stage.COMPANY_REGISTERED,
        on=datetime.date(2024, 8, 1),
        today=TODAY,
    )
    entry = CapitalEntryFactory(followup=followup, amount=Decimal(amount), currency=currency)
    capital_entry_verify(entry=entry, by=None)
    return followup


def test_agreement_page_shows_timeline_and_signed_vs_realised(client, edition):
    followup = _progressed(edition)
    page = client.get(f"/en/agreements/{followup.agreement.pk}/").text
    assert "Project company registered" in page
    assert "Announced at signing" in page
    assert "1 billion yuan" in page
    assert "800 million yuan" in page  # contracted
    assert "300 million yuan" in page  # verified capital in place
    assert "Secret negotiation note" not in page
    assert "statement" not in page  # no evidence file name or link
    zh = client.get(f"/zh-hans/agreements/{followup.agreement.pk}/").text
    assert "项目公司已注册" in zh
    assert "3亿元" in zh
    assert "Announced at signing" not in zh


def test_a_withdrawn_stage_leaves_the_public_timeline(client, edition):
    followup = _progressed(edition)
    api = f"/api/v1/agreements/{followup.agreement.pk}/progress"
    assert [m["stage"] for m in client.get(api).json()["milestones"]] == ["company_registered"]
    followup_stage_withdraw(followup=followup, reason="Entered for the wrong agreement")
    page = client.get(f"/en/agreements/{followup.agreement.pk}/").text
    assert "Project company registered" not in page
    assert "Entered for the wrong agreement" not in page
    assert client.get(api).json()["milestones"] == []


def test_unpublished_progress_is_not_shown(client, edition):
    followup = _progressed(edition, publish=False)
    page = client.get(f"/en/agreements/{followup.agreement.pk}/").text
    assert "not published" in page
    assert "Project company registered" not in page
    assert "300 million" not in page


def test_edition_page_shows_rates_with_denominators(client, edition):
    _progressed(edition)
    _progressed(edition, currency="USD", amount=5_000_000)
    AgreementFactory(event=edition, signed_on=SIGNED)  # no follow-up: at "signed"
    page = client.get(f"/en/events/{edition.slug}/").text
    assert "Projects landed" in page
    assert "2 of 3 agreements" in page
    assert "5 million US dollars" in page  # kept apart from the yuan
    assert "300 million yuan" in page
    zh = client.get(f"/zh-hans/events/{edition.slug}/").text
    assert "落地" in zh


def test_series_page_shows_signed_vs_realised_chart(client, edition):
    _progressed(edition)
    page = client.get(f"/en/series/{edition.series.slug}/").text
    assert 'id="chart-signed-realised-title"' in page
    assert "Capital in place (verified)" in page
    assert "300 million yuan" in page


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_query_counts_do_not_grow_with_agreements(client, edition, lang, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    first = _progressed(edition)
    addresses = [
        f"/{lang}/agreements/{first.agreement.pk}/",
        f"/{lang}/events/{edition.slug}/",
        f"/{lang}/series/{edition.series.slug}/",
    ]
    small = [_queries(client, address) for address in addresses]
    for index in range(8):
        _progressed(edition, currency="USD" if index % 2 else "CNY")
        followup_stage_change(
            followup=first, stage=Stage.OPERATING, on=TODAY - datetime.timedelta(days=8 - index),
            today=TODAY,
        ) if index == 0 else None  # fmt: skip
    large = [_queries(client, address) for address in addresses]
    assert small == large


def test_headline_figures_stand_beside_the_computed_ones(client, edition):
    from followup.models import HeadlineFigure
    from tests.factories import KeyFigureFactory

    _progressed(edition)
    claim = KeyFigureFactory(
        series=edition.series, label_en="Fund cooperation facilitated", value=10**11, unit="yuan"
    )
    KeyFigureFactory(series=None, event=edition, label_en="Firms' assets", value=5, unit="yuan")
    HeadlineFigure.objects.create(key_figure=claim)
    page = client.get(f"/en/events/{edition.slug}/").text
    outcomes = page[page.index('id="outcomes"') :]
    outcomes = outcomes[: outcomes.index("</section>")]
    assert "Fund cooperation facilitated" in outcomes
    assert "Reported for the whole series" in outcomes
    assert "Firms&#x27; assets" not in outcomes  # not an outcome claim
    assert "Reported" in outcomes
    assert "Computed" in outcomes
    series = client.get(f"/en/series/{edition.series.slug}/").text
    assert "Fund cooperation facilitated" in series
