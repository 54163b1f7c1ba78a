"""Settings for the test suite: fast hashing, plain static storage, mail in memory."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not Django's in-memory default: WAL, immediate transactions and the busy timeout of
    # base.py work as they do for `make run` and `make serve`, and threads of a test (the
    # concurrency tests) each get a connection of their own. One file per pytest process.
    # pytest runs with its cache provider off, so nothing else creates the folder.
    (BASE_DIR / ".pytest_cache").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / ".pytest_cache" / f"test-db-{os.getpid()}.sqlite3")
    }

SECRET_KEY = "test-only-not-secret"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".pytest_cache" / "media"
BACKUP_ROOT = BASE_DIR / ".pytest_cache" / "backups"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the app folders without collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The suite measures uncached rendering; tests/caching turns the page and fragment caches on.
CACHES = {
    **CACHES,
    "stamps": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stamps"},
}
PUBLIC_PAGE_CACHE_SECONDS = 0
PUBLIC_FRAGMENT_CACHE_SECONDS = 0
API_CACHE_SECONDS = 0
API_RATE_LIMIT_ANONYMOUS = "100000/m"
API_RATE_LIMIT_TOKEN = "100000/m"  # noqa: S105
# The webhook tests run their receivers on loopback; tests/api/test_webhook_addresses.py turns
# the guard back on.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True

# Tasks run in the test process as soon as they are enqueued (after commit, for those enqueued
# with on_commit). tests/outbox/test_worker.py switches to the database backend and real workers.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["email", "default", "staff"],
    }
}
CACHES["progress"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"}
