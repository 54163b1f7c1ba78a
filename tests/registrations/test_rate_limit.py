"""The per-address limit of the registration form: one atomic count every worker shares."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from events.models import Event
from registrations import ratelimit
from registrations.models import Participation
from tests.factories import OpenEventFactory
from tests.test_settings import _manage

from .test_concurrency import run_at_once
from .test_views import form_data

LIMIT, BURST = 10, 40
REDIS_URL = "redis://127.0.0.1:6379/7"


def _redis_reachable() -> bool:
    try:
        import redis

        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


STORES = [
    pytest.param({"store": "database"}, id="database"),
    pytest.param(
        {
            "store": "cache",
            "cache": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
        },
        id="locmem-cache",
    ),
    pytest.param(
        {
            "store": "cache",
            "cache": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL},
        },
        id="redis",
        marks=pytest.mark.skipif(not _redis_reachable(), reason=f"no Redis at {REDIS_URL}"),
    ),
]


@pytest.fixture
def store(request, settings):
    settings.REGISTRATION_RATE_LIMIT = f"{LIMIT}/h"
    settings.REGISTRATION_RATE_LIMIT_STORE = request.param["store"]
    if "cache" in request.param:
        settings.CACHES = {**settings.CACHES, "ratelimit": request.param["cache"]}
        settings.RATELIMIT_USE_CACHE = "ratelimit"
        caches["ratelimit"].clear()
    yield request.param["store"]
    if "cache" in request.param:
        caches["ratelimit"].clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", STORES, indirect=True)
def test_a_burst_of_parallel_submissions_lets_exactly_the_limit_through(store):
    event = OpenEventFactory(approval_mode=Event.ApprovalMode.AUTOMATIC)
    address = reverse("registrations:register", kwargs={"slug": event.slug})
    answers = []

    def attempt(index):
        answers.append(
            Client().post(address, form_data(institution_name=f"Burst {index}")).status_code
        )

    assert run_at_once(attempt, BURST) == []
    assert sorted(answers) == [302] * LIMIT + [429] * (BURST - LIMIT)
    assert Participation.objects.count() == LIMIT


@pytest.mark.django_db
@pytest.mark.parametrize("store", STORES[:2], indirect=True)
def test_a_double_submit_gives_its_slot_back(store, client):
    event = OpenEventFactory()
    address = reverse("registrations:register", kwargs={"slug": event.slug})
    assert client.post(address, form_data(institution_name="Once")).status_code == 302
    for _ in range(LIMIT + 3):  # the same form again from the same browser: nothing new
        assert client.post(address, form_data(institution_name="Once")).status_code == 302
    for index in range(LIMIT - 1):
        response = client.post(address, form_data(institution_name=f"Other {index}"))
        assert response.status_code == 302
    assert client.post(address, form_data(institution_name="One too many")).status_code == 429
    assert Participation.objects.count() == LIMIT


def test_rates_are_read_as_documented():
    assert ratelimit.Rate.parse("10/h") == ratelimit.Rate(limit=10, period=3600)
    assert ratelimit.Rate.parse("5/10m") == ratelimit.Rate(limit=5, period=600)
    with pytest.raises(ValueError, match="10/h"):
        ratelimit.Rate.parse("ten an hour")


def test_production_refuses_rate_limit_counts_in_a_per_process_cache():
    common = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "events.example.com",
        "DATABASE_URL": "sqlite:///unused.sqlite3",
        "DJANGO_SITE_URL": "https://events.example.com",
        "REDIS_URL": "",
        "REGISTRATION_RATE_LIMIT_STORE": "cache",
    }
    refused = _manage("check", **common)
    assert refused.returncode != 0
    assert "REGISTRATION_RATE_LIMIT_STORE" in refused.stderr
    assert _manage("check", **common, DJANGO_SINGLE_PROCESS="true").returncode == 0, (
        "an explicit single-process deployment may count in its own memory"
    )
    assert _manage("check", **{**common, "REGISTRATION_RATE_LIMIT_STORE": ""}).returncode == 0
