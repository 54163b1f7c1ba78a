"""What a `db_worker` process started by a test uses (tests/outbox/test_worker.py): the test's
database, the database task backend, SMTP to the test's loopback server."""

from .base import env
from .test import *  # noqa: F403
from .test import DATABASES

DATABASES["default"]["NAME"] = env("TEST_DATABASE_NAME")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["email", "default", "staff"],
    }
}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(env("TEST_SMTP_PORT", "25"))
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "30"))
