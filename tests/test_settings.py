import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings


def _manage(*args, **env):
    # The browser tests allow async-unsafe ORM calls in this process; a deployment never does.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        check=False,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_ALLOWED_HOSTS": "events.example.com",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
    "DJANGO_SITE_URL": "https://events.example.com",
    "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level=WARNING",
        **PRODUCTION,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_SITE_URL"])
def test_production_settings_refuse_to_start_without_a_required_variable(missing):
    result = _manage(
        "check", **{**PRODUCTION, missing: ""}, DJANGO_SECRET_KEY=secrets.token_urlsafe(50)
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_check_deploy_flags_an_email_backend_that_delivers_nothing():
    result = _manage(
        "check",
        "--deploy",
        **{**PRODUCTION, "DJANGO_EMAIL_BACKEND": ""},  # the console backend of base.py
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )
    assert "registrations.W001" in result.stderr + result.stdout
    assert "console" in result.stderr + result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _manage(
        "check", DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_SECRET_KEY=""
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_an_empty_database_url_falls_back_to_sqlite():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; print(connection.vendor)",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="",
    )
    assert result.stdout.strip() == "sqlite", result.stderr


def test_database_pool_setting_turns_on_psycopgs_pool_for_postgresql():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['OPTIONS']['pool']['max_size'], d['CONN_MAX_AGE'])",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="postgres:///vcday",
        DATABASE_CONN_MAX_AGE="60",
        DATABASE_POOL="true",
        DATABASE_POOL_MAX_SIZE="12",
    )
    assert result.stdout.strip() == "12 0", result.stderr


def test_media_bucket_setting_puts_uploads_on_object_storage():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.files.storage import storages; s = storages['default'];"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url)",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DJANGO_MEDIA_BUCKET="vcday-media",
        DJANGO_MEDIA_ENDPOINT_URL="https://oss.example.com",
    )
    assert result.stdout.strip() == "S3Storage vcday-media https://oss.example.com", result.stderr
