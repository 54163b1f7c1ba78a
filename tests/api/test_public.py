import pytest

from events.models import Event
from tests.api.conftest import grow
from tests.factories import EventFactory, OrganizationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_edition_detail_in_both_languages(client, edition):
    response = client.get(f"/api/v1/editions/{edition.event.slug}")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == {
        "en": "Venture Capital Day of Shenzhen 2024",
        "zh_hans": "深圳创投日2024",
    }
    assert data["venues"][1]["theme"]["zh_hans"] == "人工智能"
    speaker = data["sessions"][0]["speakers"][0]
    assert speaker["position"]["zh_hans"] == "罗湖区区长"
    assert speaker["role_label"] == {"en": "Keynote", "zh_hans": speaker["role_label"]["zh_hans"]}
    assert "mayor-private@example.com" not in response.content.decode()
    assert data["reported_figures"][0]["value"] == "1700"
    assert data["computed"] == {
        "institutions": 0,
        "agreements": 1,
        "amount_yuan": "100000000000.00",
    }
    assert data["hosts"][0]["institution"]["slug"] == "luohu"
    assert data["links"]["page_zh_hans"].endswith(f"/zh-hans/events/{edition.event.slug}/")


def test_edition_headers_etag_cache_control_cors(client, edition):
    response = client.get("/api/v1/editions")
    assert response["Cache-Control"].startswith("public, max-age=")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["RateLimit-Limit"]
    etag = response["ETag"]
    again = client.get("/api/v1/editions", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_draft_edition_is_not_found(client, edition):
    draft = EventFactory(is_published=False, series=edition.event.series)
    assert client.get(f"/api/v1/editions/{draft.slug}").status_code == 404
    slugs = [e["slug"] for e in client.get("/api/v1/editions").json()["items"]]
    assert draft.slug not in slugs
    assert Event.objects.count() == 2


def test_mou_with_parties(client, edition):
    data = client.get(f"/api/v1/agreements/{edition.agreement.pk}").json()
    assert data["title"]["zh_hans"] == "共建人工智能创新加速器合作备忘录"
    assert [p["institution"]["slug"] for p in data["parties"]] == ["luohu", "peoples-daily-online"]
    assert data["amount_yuan"] == "100000000000.00"


def test_institutions_only_public_ones(client, edition):
    hidden = OrganizationFactory(name_en="Unlisted Capital")
    ParticipationFactory(event=edition.event, organization=hidden, listed_publicly=False)
    listed = OrganizationFactory(name_en="Listed Capital")
    ParticipationFactory(
        event=edition.event, organization=listed, listed_publicly=True, status="approved"
    )
    slugs = [o["slug"] for o in client.get("/api/v1/institutions?limit=100").json()["items"]]
    assert listed.slug in slugs
    assert hidden.slug not in slugs
    assert client.get(f"/api/v1/institutions/{hidden.slug}").status_code == 404
    body = client.get(f"/api/v1/institutions/{listed.slug}").content.decode()
    assert "uscc" not in body
    assert "contact" not in body
    members = client.get(f"/api/v1/editions/{edition.event.slug}/institutions").json()["items"]
    assert [m["slug"] for m in members] == [listed.slug]


def test_cursor_pagination_walks_every_row_once(client, edition):
    grow(edition, 25)
    seen, address = [], "/api/v1/institutions?limit=7"
    while address:
        data = client.get(address).json()
        assert len(data["items"]) <= 7
        seen += [o["slug"] for o in data["items"]]
        address = data["next"]
    assert len(seen) == len(set(seen)) >= 25


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/api/v1/institutions?limit=1000", 422),
        ("/api/v1/institutions?limit=0", 422),
        ("/api/v1/institutions?kind=spaceship", 422),
        ("/api/v1/institutions?cursor=not-a-cursor", 422),
        ("/api/v1/editions?when=tomorrow", 422),
        ("/api/v1/agreements?edition=nope", 404),
        ("/api/v1/agreements?edition=a%00b", 422),
        # PostgreSQL refuses a NUL byte (400); SQLite finds nothing.
        ("/api/v1/institutions?q=a%00b", {400, 200}),
        ("/api/v1/editions/a%00b", {400, 404}),
        ("/api/v1/agreements/999999", 404),
        ("/api/v1/nothing-here", 404),
    ],
)
def test_bad_requests_get_clear_errors(client, edition, address, status):
    response = client.get(address)
    assert response.status_code in (status if isinstance(status, set) else {status})
    assert response.status_code == 200 or "detail" in response.json()


def test_series_outcomes_reported_and_computed(client, edition):
    grow(edition, 10)
    data = client.get(f"/api/v1/series/{edition.event.series.slug}").json()
    assert data["reported_figures"][0]["usd_equivalent"] == "13800000000.00"
    assert data["computed"]["institutions"] == 10
    assert data["outcomes"][0]["edition"] == edition.event.slug
    assert data["outcomes"][0]["agreements"] == 2, data


def test_open_data_json_states_licence_and_time(client, edition):
    grow(edition, 10)
    data = client.get(f"/api/v1/series/{edition.event.series.slug}/open-data.json").json()
    assert data["licence"]["name"] == "CC BY 4.0"
    assert data["generated_at"]
    assert [e["slug"] for e in data["editions"]] == [edition.event.slug]
    assert len(data["agreements"]) == 2
    assert data["reported_figures"]["editions"][0]["edition"] == edition.event.slug
    assert data["computed"]["agreements"] == 2


def test_open_data_zip_has_csv_files_in_both_languages(client, edition):
    import csv
    import io
    import zipfile

    edition.agreement.title_en = "=HYPERLINK(1)"
    edition.agreement.save()
    response = client.get(f"/api/v1/series/{edition.event.series.slug}/open-data.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Access-Control-Allow-Origin"] == "*"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {
        "README.txt",
        "editions.csv",
        "agreements.csv",
        "agreement_parties.csv",
        "reported_figures.csv",
        "computed_outcomes.csv",
        "agreement_progress.csv",
        "agreement_milestones.csv",
    }
    assert "CC BY 4.0" in archive.read("README.txt").decode()
    rows = list(csv.DictReader(io.StringIO(archive.read("agreements.csv").decode("utf-8-sig"))))
    assert rows[0]["title_zh_hans"] == "共建人工智能创新加速器合作备忘录"
    assert rows[0]["title_en"] == "'=HYPERLINK(1)"
    assert client.get("/api/v1/series/nope/open-data.zip").status_code == 404
    assert (
        client.post(f"/api/v1/series/{edition.event.series.slug}/open-data.zip").status_code == 405
    )


def test_open_data_leaves_out_drafts(client, edition):
    from tests.factories import AgreementFactory

    draft = EventFactory(is_published=False, series=edition.event.series, slug="draft")
    AgreementFactory(event=draft, title_en="Secret deal")
    body = client.get(f"/api/v1/series/{edition.event.series.slug}/open-data.json").content
    assert b"Secret deal" not in body
    assert b'"draft"' not in body
