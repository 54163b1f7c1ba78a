"""Redis going away: public pages render without the cache, the registration form refuses
with a translated 503 rather than count nothing, and /readyz tells the load balancer.

A real outage, no mocks: the caches point at a Redis address where nothing listens, built by
the same function as the production settings."""

import pytest
from django.urls import reverse

from config.settings.base import redis_caches
from registrations.models import Participation
from tests.factories import OpenEventFactory
from tests.registrations.test_views import form_data

pytestmark = pytest.mark.django_db

NOTHING_LISTENS = "redis://127.0.0.1:1/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_caches(NOTHING_LISTENS)
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    settings.REGISTRATION_RATE_LIMIT_STORE = "cache"
    settings.PUBLIC_PAGE_CACHE_SECONDS = 3600
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 3600


@pytest.fixture
def edition():
    return OpenEventFactory(title_en="Venture Capital Day", slug="vc-day")


@pytest.mark.parametrize(
    "page",
    [
        "/en/",
        "/en/events/",
        "/en/events/vc-day/",
        "/en/events/vc-day/institutions/",
        "/en/institutions/",
        "/en/agreements/",
        "/sitemap.xml",
    ],
)
def test_public_pages_render_without_the_cache(client, edition, redis_down, page):
    for _ in range(2):
        response = client.get(page)
        assert response.status_code == 200
    if page == "/en/events/vc-day/":
        assert "Venture Capital Day" in response.text


def test_registration_page_renders_without_the_cache(client, edition, redis_down):
    address = reverse("registrations:register", kwargs={"slug": edition.slug})
    assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Registration briefly unavailable"), ("zh-hans", "报名暂时无法使用")],
)
def test_registration_fails_closed_with_a_translated_503(
    client, edition, redis_down, language, text
):
    from django.utils import translation

    with translation.override(language):
        address = reverse("registrations:register", kwargs={"slug": edition.slug})
    response = client.post(address, form_data())
    assert response.status_code == 503
    assert text in response.content.decode()
    assert not Participation.objects.exists()


def test_readiness_reports_the_cache_down_while_health_stays_ok(client, redis_down):
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}


def test_readiness_is_ok_when_everything_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_readiness_reports_the_database_down(client):
    from tests.faults.test_database import _outage

    with _outage():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
