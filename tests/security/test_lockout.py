"""Admin sign-in is locked after repeated failures (django-axes) and unlocks after the cool-off."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture
def boss(django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    return django_user_model.objects.create_superuser("boss", "boss@example.com", "s3cret-pass")


def _sign_in(client, password, **headers):
    return client.post(
        LOGIN,
        {"username": "boss", "password": password, "next": reverse("admin:index")},
        **headers,
    )


def _fail(client, times, **headers):
    for _ in range(times):
        response = _sign_in(client, "wrong", **headers)
    return response


def test_failures_below_the_limit_still_allow_sign_in(client, boss):
    response = _fail(client, 2)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text
    assert _sign_in(client, "s3cret-pass").status_code == 302
    # A successful sign-in clears the count.
    assert not AccessAttempt.objects.exists()


def test_repeated_failures_lock_out_even_the_right_password(client, boss):
    locked = _fail(client, 3)
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.text
    assert "Event platform administration" in locked.text
    assert "Sign-in failed 3 times in a row" in locked.text
    assert "blocked for 30 minutes" in locked.text
    refused = _sign_in(client, "s3cret-pass")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "boss"
    assert attempt.failures_since_start >= 3


def test_lockout_page_in_chinese(client, boss):
    locked = _fail(client, 3, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert locked.status_code == 429
    assert "登录已锁定" in locked.text
    assert "30" in locked.text


def test_lockout_is_per_user_name(client, boss, django_user_model):
    django_user_model.objects.create_superuser("deputy", "deputy@example.com", "other-pass")
    _fail(client, 3)
    response = client.post(
        LOGIN, {"username": "deputy", "password": "other-pass", "next": reverse("admin:index")}
    )
    assert response.status_code == 302


def test_lockout_ends_after_the_cool_off(client, boss):
    _fail(client, 3)
    assert _sign_in(client, "s3cret-pass").status_code == 429
    # Thirty-one minutes later, as far as the stored attempts are concerned.
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=31)
    )
    response = _sign_in(client, "s3cret-pass")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.session["_auth_user_id"] == str(boss.pk)


def test_lockout_still_holds_before_the_cool_off_ends(client, boss):
    _fail(client, 3)
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(minutes=29)
    )
    assert _sign_in(client, "s3cret-pass").status_code == 429


@pytest.fixture
def behind_proxy(settings):
    """One proxy at 10.0.0.1 that appends the address it saw to X-Forwarded-For."""
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = 1

    def via_proxy(client_address: str, claimed: str = "") -> dict:
        forwarded = f"{claimed}, {client_address}" if claimed else client_address
        return {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}

    return via_proxy


def test_behind_a_proxy_a_lockout_locks_out_only_that_client(client, boss, behind_proxy):
    assert _fail(client, 3, **behind_proxy("203.0.113.5")).status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    # Another person behind the same proxy still signs in.
    assert _sign_in(client, "s3cret-pass", **behind_proxy("198.51.100.7")).status_code == 302


def test_behind_a_proxy_rotating_the_forwarded_header_does_not_escape(client, boss, behind_proxy):
    for number in range(3):
        response = _sign_in(client, "wrong", **behind_proxy("203.0.113.5", f"192.0.2.{number}"))
    assert response.status_code == 429
    refused = _sign_in(client, "s3cret-pass", **behind_proxy("203.0.113.5", "192.0.2.99"))
    assert refused.status_code == 429


def test_behind_a_proxy_the_registration_limit_counts_per_client(client, behind_proxy, settings):
    from tests.factories import OpenEventFactory
    from tests.registrations.test_views import form_data

    settings.REGISTRATION_RATE_LIMIT = "1/h"
    event = OpenEventFactory()
    address = reverse("registrations:register", kwargs={"slug": event.slug})
    first = client.post(address, form_data(institution_name="A"), **behind_proxy("203.0.113.5"))
    assert first.status_code == 302
    second = Client().post(address, form_data(institution_name="B"), **behind_proxy("198.51.100.7"))
    assert second.status_code == 302
    third = Client().post(
        address, form_data(institution_name="C"), **behind_proxy("203.0.113.5", "192.0.2.1")
    )
    assert third.status_code == 429
