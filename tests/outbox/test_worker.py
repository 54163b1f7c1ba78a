"""The database task backend with real `db_worker` processes and a real SMTP server on loopback.

The worker processes open the test database (on SQLite a file, see config/settings/test.py). SMTP_DELAY (seconds, default 2) is how long the server
takes to answer each message.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from outbox.models import OutboundEmail
from outbox.services import outbox_sweep
from tests.factories import OpenEventFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"
SMTP_DELAY = float(os.environ.get("SMTP_DELAY", "2"))


@pytest.fixture(autouse=True)
def _database_backend(settings):
    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("a worker process cannot open an in-memory test database")
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["email", "default", "staff"],
        }
    }


def _worker(smtp_port: int, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test_worker",
        "TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        "TEST_SMTP_PORT": str(smtp_port),
        "DJANGO_EMAIL_TIMEOUT": str(int(SMTP_DELAY) + 10),
    }
    command = [sys.executable, str(MANAGE), "db_worker", "--queue-name", "*", "--no-reload"]
    return subprocess.Popen([*command, "--no-startup-delay", "--interval", "0.2", *args], env=env)


def _register(client, event, number: int):
    with translation.override("en"):
        url = reverse("registrations:register", kwargs={"slug": event.slug})
    data = {
        "institution_name": f"Example Capital {number}",
        "institution_kind": "vc_firm",
        "uscc": "",
        "city": "Shenzhen",
        "website": "",
        "contact_name": "Li Lei",
        "contact_position": "Partner",
        "contact_email": f"li{number}@example.com",
        "contact_phone": "+86 755 1234 5678",
        "delegates": "1",
        "privacy_consent": "on",
        "homepage": "",
    }
    started = time.monotonic()
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:500]
    return time.monotonic() - started


def test_slow_mail_server_does_not_slow_the_registration(smtp_port, smtp_server, client):
    from django_tasks_db.models import DBTaskResult

    server = smtp_server(delay=SMTP_DELAY)
    event = OpenEventFactory()
    durations = [_register(client, event, number) for number in range(3)]
    # Not a benchmark (bench/slow_smtp.py is): the request does not wait for the server.
    assert max(durations) < SMTP_DELAY
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert _worker(smtp_port, "--batch").wait(timeout=3 * SMTP_DELAY + 60) == 0
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    received = sorted(m["message_id"] for m in server.handler.messages)
    assert received == sorted(OutboundEmail.objects.values_list("message_id", flat=True))


def test_mail_server_down_then_back_each_email_delivered_once(
    settings, smtp_port, smtp_server, client
):
    event = OpenEventFactory()
    for number in range(3):
        _register(client, event, number)
    assert _worker(smtp_port, "--batch").wait(timeout=60) == 0  # the server is down
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("queued", 1)}
    server = smtp_server()
    # The retries were enqueued for later (run_after): let that time pass.
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    OutboundEmail.objects.update(next_attempt_at=now)
    DBTaskResult.objects.filter(status="READY").update(run_after=now)
    assert _worker(smtp_port, "--batch").wait(timeout=60) == 0
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {("sent", 2)}
    received = sorted(m["message_id"] for m in server.handler.messages)
    assert received == sorted(OutboundEmail.objects.values_list("message_id", flat=True))
    assert outbox_sweep()["dispatched"] == 0
    assert _worker(smtp_port, "--batch").wait(timeout=60) == 0
    assert len(server.handler.messages) == 3


def test_worker_killed_mid_send_loses_nothing_and_sends_once(smtp_port, smtp_server, client):
    from django_tasks_db.models import DBTaskResult

    server = smtp_server(delay=SMTP_DELAY)
    _register(client, OpenEventFactory(), 1)
    worker = _worker(smtp_port)
    deadline = time.monotonic() + 30
    while not OutboundEmail.objects.filter(status="sending").exists():
        assert time.monotonic() < deadline, "the worker did not claim the e-mail"
        time.sleep(0.05)
    time.sleep(SMTP_DELAY / 2)  # the worker waits for the answer to DATA
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    assert DBTaskResult.objects.get().status == "RUNNING"  # django-tasks-db never recovers it
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts) == ("sending", 1)
    assert server.handler.messages == []  # the server dropped the half-sent message

    assert outbox_sweep()["reclaimed"] == 0  # the lease still runs
    OutboundEmail.objects.update(lease_until=timezone.now() - timedelta(seconds=1))  # it expires
    assert outbox_sweep() == {"reclaimed": 1, "failed": 0, "dispatched": 1}
    assert _worker(smtp_port, "--batch").wait(timeout=SMTP_DELAY + 60) == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 2)
    outcomes = list(email.attempt_log.order_by("number").values_list("outcome", flat=True))
    assert outcomes == ["lost", "sent"]
    assert [m["message_id"] for m in server.handler.messages] == [email.message_id]
