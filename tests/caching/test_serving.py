"""Serving: static files with far-future caching headers, the health check."""

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from whitenoise.middleware import WhiteNoiseMiddleware


@pytest.fixture
def collected(settings, tmp_path, db):
    """Static files collected as in production: hashed names, compressed copies."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", "--noinput", verbosity=0)
    return WhiteNoiseMiddleware(get_response=lambda request: HttpResponse(status=404))


def test_hashed_static_file_is_cached_for_ten_years(collected):
    url = static("css/site.css")
    assert url != "/static/css/site.css"  # a hashed name
    response = collected(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
    response.close()
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"


def test_unhashed_static_name_is_cached_briefly(collected):
    response = collected(RequestFactory().get("/static/css/site.css"))
    response.close()
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_health_check_answers_ok_without_the_database(client):
    response = client.get("/healthz")  # no database in this test: a query would fail it
    assert response.status_code == 200
    assert response.text == "ok\n"
    assert "no-store" in response["Cache-Control"]
