import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api import ratelimit

from .conftest import make_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    counters = caches[settings.RATELIMIT_USE_CACHE]
    cache.clear()
    counters.clear()
    yield
    cache.clear()
    counters.clear()


def test_anonymous_limit_per_address(client, settings, edition):
    settings.API_RATE_LIMIT_ANONYMOUS = "3/m"
    answers = [client.get("/api/v1/editions") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    refused = client.get("/api/v1/editions")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["RateLimit-Limit"] == "3"
    assert refused["RateLimit-Remaining"] == "0"
    assert refused["RateLimit-Policy"] == "3;w=60"
    assert "detail" in refused.json()
    other = client.get("/api/v1/editions", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_token_has_its_own_limit(client, settings, read_token):
    settings.API_RATE_LIMIT_ANONYMOUS = "1/m"
    settings.API_RATE_LIMIT_TOKEN = "2/m"
    _token, raw = read_token
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/editions").status_code == 200
    assert client.get("/api/v1/editions").status_code == 429
    codes = [client.get("/api/v1/staff/registrations", **headers).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_window_resets():
    first = ratelimit.hit("test", "1/m", now=120.0)
    second = ratelimit.hit("test", "1/m", now=150.0)
    third = ratelimit.hit("test", "1/m", now=181.0)
    assert first.allowed
    assert not second.allowed
    assert second.reset == 30
    assert third.allowed


def test_public_reads_are_cached_until_data_changes(
    client, settings, edition, django_capture_on_commit_callbacks
):
    settings.API_CACHE_SECONDS = 60
    address = f"/api/v1/agreements/{edition.agreement.pk}"
    first = client.get(address)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(address)
    assert len(queries) == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    edition.agreement.title_en = "Renamed"
    with django_capture_on_commit_callbacks(execute=True):
        edition.agreement.save()
    third = client.get(address)
    assert third.json()["title"]["en"] == "Renamed"
    assert third["ETag"] != first["ETag"]


def test_staff_reads_are_never_cached(client, settings, edition, reviewer):
    settings.API_CACHE_SECONDS = 60
    _token, raw = make_token(reviewer)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.get("/api/v1/staff/registrations", **headers)
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/staff/registrations", **headers)
    assert len(queries) > 0


def test_cors_preflight_for_public_reads(client):
    response = client.options("/api/v1/editions", HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" not in response["Access-Control-Allow-Headers"]


def test_edition_content_cached_like_the_page_fragment(
    client, settings, edition, django_capture_on_commit_callbacks
):
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 60
    address = f"/api/v1/editions/{edition.event.slug}"
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        client.get(address)
    assert len(queries) == 1  # the edition itself; its programme comes from the cache
    session = edition.event.sessions.get()
    session.title_en = "AI, capital and the district"
    with django_capture_on_commit_callbacks(execute=True):
        session.save()
    assert client.get(address).json()["sessions"][0]["title"]["en"] == session.title_en


def test_counter_store_down_serves_anyway(client, settings, edition):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    response = client.get("/api/v1/editions")
    assert response.status_code == 200
