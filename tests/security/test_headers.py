"""Security headers on a public page and in the admin, with the production settings."""

import importlib
import sys

import pytest
from django.conf import global_settings
from django.urls import reverse

from tests.factories import EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db

SECURITY_SETTINGS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
]


def _apply_production(settings, monkeypatch, **env):
    """Copy the security settings of config.settings.production, read with this environment."""
    monkeypatch.setenv("DJANGO_SECRET_KEY", "production-like-key-for-the-test-only")
    monkeypatch.setenv("DATABASE_URL", "postgres:///unused-by-this-test")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "events.example.com")
    monkeypatch.setenv("DJANGO_SITE_URL", "https://events.example.com")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delitem(sys.modules, "config.settings.production", raising=False)
    production = importlib.import_module("config.settings.production")
    for name in SECURITY_SETTINGS:
        default = getattr(global_settings, name)
        setattr(settings, name, getattr(production, name, default))


@pytest.fixture
def production(settings, monkeypatch):
    _apply_production(settings, monkeypatch)


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture
def edition(db):
    return EventFactory(is_published=True, title_en="Venture Capital Day")


def _public_and_admin(client, admin_client, edition):
    return {
        "public": client.get(edition.get_absolute_url(), secure=True),
        "admin sign-in": client.get(reverse("admin:login"), secure=True),
        "admin index": admin_client.get(reverse("admin:index"), secure=True),
    }


def test_csp_forbids_inline_scripts_and_styles_everywhere(client, admin_client, edition):
    for where, response in _public_and_admin(client, admin_client, edition).items():
        assert response.status_code == 200, where
        policy = _policy(response)
        assert policy["default-src"] == ["'self'"], where
        assert "'unsafe-inline'" not in policy["script-src"], where
        assert "'unsafe-eval'" not in policy["script-src"], where
        assert "'unsafe-inline'" not in policy["style-src"], where
        assert policy["object-src"] == ["'none'"], where
        assert policy["frame-ancestors"] == ["'none'"], where
        assert policy["base-uri"] == ["'self'"], where


def test_frame_referrer_and_sniffing_headers_everywhere(client, admin_client, edition, production):
    for where, response in _public_and_admin(client, admin_client, edition).items():
        assert response["X-Frame-Options"] == "DENY", where
        assert response["Referrer-Policy"] == "same-origin", where
        assert response["X-Content-Type-Options"] == "nosniff", where


def test_hsts_on_public_page_and_admin(client, admin_client, edition, production):
    for where, response in _public_and_admin(client, admin_client, edition).items():
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), where


def test_plain_http_redirects_to_https(client, edition, production):
    response = client.get(edition.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_proxy_header_counts_as_https_only_when_enabled(settings, monkeypatch, client, edition):
    _apply_production(settings, monkeypatch, DJANGO_SECURE_PROXY_SSL_HEADER="true")
    behind_proxy = client.get(edition.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert "Strict-Transport-Security" in behind_proxy

    _apply_production(settings, monkeypatch, DJANGO_SECURE_PROXY_SSL_HEADER="")
    claimed = client.get(edition.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https")
    assert claimed.status_code == 301


def test_admin_cookies_are_secure_and_http_only(client, django_user_model, production):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "s3cret-pass")
    sign_in = client.get(reverse("admin:login"), secure=True)
    csrf = sign_in.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    response = client.post(
        reverse("admin:login"),
        {"username": "boss", "password": "s3cret-pass", "next": reverse("admin:index")},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True


def test_registration_status_page_keeps_same_origin_referrer(client, production):
    participation = ParticipationFactory(organization__name_en="Example Capital")
    response = client.get(participation.get_absolute_url(), secure=True)
    assert "Example Capital" in response.text
    assert response["Referrer-Policy"] == "same-origin"


def test_health_check_is_not_redirected_to_https(client, production):
    assert client.get("/healthz").status_code == 200
    assert client.get("/en/").status_code == 301
