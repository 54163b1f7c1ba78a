"""Follow-up in the API and the open-data dump: published parts only, currencies apart."""

import io
import zipfile

import pytest

from tests.factories import AgreementFactory, FollowUpFactory

from .test_pages import _progressed

pytestmark = pytest.mark.django_db


def test_agreement_progress(client, edition):
    followup = _progressed(edition)
    data = client.get(f"/api/v1/agreements/{followup.agreement.pk}/progress").json()
    assert data["stage"] == "company_registered"
    assert data["stage_label"]["zh_hans"] == "项目公司已注册"
    assert [m["stage"] for m in data["milestones"]] == ["company_registered"]
    assert data["contracted"] == {"currency": "CNY", "amount": "800000000.00"}
    assert data["capital_in_place"] == [{"currency": "CNY", "amount": "300000000.00"}]
    assert "notes" not in data
    assert "Secret" not in str(data)


def test_unpublished_and_unfollowed_agreements(client, edition):
    hidden = _progressed(edition, publish=False)
    data = client.get(f"/api/v1/agreements/{hidden.agreement.pk}/progress").json()
    assert (data["stage"], data["milestones"], data["capital_in_place"]) == (None, [], None)
    plain = AgreementFactory(event=edition)
    data = client.get(f"/api/v1/agreements/{plain.pk}/progress").json()
    assert data["stage"] == "signed"


def test_edition_and_series_outcomes(client, edition):
    _progressed(edition)
    _progressed(edition, currency="USD", amount=5)
    FollowUpFactory(agreement__event=edition, publish_stage=False)
    data = client.get(f"/api/v1/editions/{edition.slug}/outcomes").json()
    rates = {rate["key"]: rate for rate in data["rates"]}
    assert (rates["landed"]["count"], rates["landed"]["of"]) == (2, 2)
    assert data["not_counted"] == 1
    assert {c["currency"] for c in data["capital_in_place"]} == {"CNY", "USD"}
    series = client.get(f"/api/v1/series/{edition.series.slug}/outcomes").json()
    assert series["counted"] == 2


def test_open_data_carries_the_progress(client, edition):
    followup = _progressed(edition)
    data = client.get(f"/api/v1/series/{edition.series.slug}/open-data.json").json()
    progress = {p["agreement_id"]: p for p in data["agreement_progress"]}
    assert progress[followup.agreement.pk]["stage"] == "company_registered"
    assert data["followup_outcomes"]["counted"] == 1
    archive = client.get(f"/api/v1/series/{edition.series.slug}/open-data.zip")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        assert "company_registered" in files.read("agreement_progress.csv").decode()
        assert "company_registered" in files.read("agreement_milestones.csv").decode()


def test_api_query_counts_do_not_grow_with_followed_agreements(client, edition, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _progressed(edition)
    addresses = [
        f"/api/v1/agreements/{first.agreement.pk}/progress",
        f"/api/v1/editions/{edition.slug}/outcomes",
        f"/api/v1/series/{edition.series.slug}/outcomes",
        f"/api/v1/series/{edition.series.slug}/open-data.json",
    ]

    def counts():
        result = []
        for address in addresses:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(address).status_code == 200
            result.append(len(queries))
        return result

    small = counts()
    for index in range(8):
        _progressed(edition, currency="USD" if index % 2 else "CNY")
    assert counts() == small
