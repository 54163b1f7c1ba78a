"""Settings for the test suite: fast hashing, plain static storage, mail in memory."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env_bool

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

# Tasks run in the test process as soon as they are enqueued (after commit, for those enqueued
# with on_commit). tests/outbox/test_worker.py switches to the database backend and real workers.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["email", "default", "staff"],
    }
}
CACHES["progress"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "p"}
# SQLite: the worker tests (pytest -m worker) need the test database in a file, not in memory,
# so that a worker process can open it. Only then: other tests lock tables of the in-memory one.
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and env_bool("TEST_DATABASE_FILE"):
    (BASE_DIR / ".pytest_cache").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".pytest_cache" / "test-db.sqlite3")}
