"""The outbox with the immediate task backend and a real SMTP server on loopback."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from outbox.models import EmailAttempt, OutboundEmail
from outbox.services import (
    email_queue,
    email_send_attempt,
    emails_prune,
    emails_resend,
    outbox_sweep,
    tasks_reap_lost,
)

pytestmark = pytest.mark.django_db
Status = OutboundEmail.Status


def _queue(**fields) -> OutboundEmail | None:
    return email_queue(
        **{"to": "a@example.org", "subject": "s", "body_text": "b", "kind": "test", **fields}
    )


def _rewind(**delta) -> None:
    """Let time pass for the outbox: move its timestamps back."""
    d = timedelta(**delta)
    OutboundEmail.objects.update(
        next_attempt_at=F("next_attempt_at") - d,
        dispatched_at=F("dispatched_at") - d,
        created_at=F("created_at") - d,
    )


def test_queued_email_is_sent_after_commit_with_its_message_id(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _queue(subject="Hello\nthere")
        assert mail.outbox == []
    assert len(callbacks) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.subject) == (Status.SENT, 1, "Hello there")
    assert mail.outbox[0].extra_headers["Message-ID"] == email.message_id
    assert list(email.attempt_log.values_list("outcome", flat=True)) == ["sent"]


def _queue_then_fail():
    with transaction.atomic():
        _queue()
        raise RuntimeError("the change fails after the e-mail was queued")


def test_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        _queue_then_fail()
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_dedupe_key_queues_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue(dedupe_key="reminder:1:1:7")
        second = _queue(dedupe_key="reminder:1:1:7")
    assert first is not None
    assert second is None
    assert OutboundEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_second_attempt_on_one_row_is_skipped(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    assert email_send_attempt(email_pk=email.pk) == "skipped"  # sent already
    assert len(mail.outbox) == 1
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, lease_until=timezone.now() + timedelta(minutes=5)
    )
    assert email_send_attempt(email_pk=email.pk) == "skipped"  # another attempt owns it
    assert email_send_attempt(email_pk=10**9) == "skipped"  # gone


def test_server_down_then_back_delivers_each_email_once(
    real_smtp, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            _queue(to=f"d{number}@example.org")
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(Status.QUEUED, 1)}
    assert "ConnectionRefusedError" in OutboundEmail.objects.first().last_error
    assert set(EmailAttempt.objects.values_list("outcome", flat=True)) == {"transient"}

    server = smtp_server()
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep()["dispatched"] == 0  # the first retry is due after about 1 min
    _rewind(minutes=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep()["dispatched"] == 3
    assert set(OutboundEmail.objects.values_list("status", "attempts")) == {(Status.SENT, 2)}
    received = sorted(m["message_id"] for m in server.handler.messages)
    assert received == sorted(OutboundEmail.objects.values_list("message_id", flat=True))
    _rewind(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep() == {"reclaimed": 0, "failed": 0, "dispatched": 0}
    assert len(server.handler.messages) == 3


def test_backoff_grows_and_the_last_attempt_fails(
    settings, real_smtp, django_capture_on_commit_callbacks
):
    settings.OUTBOX_BACKOFF = [60, 600]
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(max_attempts=3)
    delays = []
    for _attempt in range(2):
        email.refresh_from_db()
        delays.append((email.next_attempt_at - timezone.now()).total_seconds())
        _rewind(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            outbox_sweep()
    email.refresh_from_db()
    assert 50 < delays[0] < 70
    assert 500 < delays[1] < 700
    assert (email.status, email.attempts) == (Status.FAILED, 3)
    assert list(email.attempt_log.values_list("outcome", flat=True)) == ["transient"] * 3


def test_permanent_refusal_fails_at_once_and_resend_delivers(
    real_smtp, smtp_server, django_capture_on_commit_callbacks
):
    server = smtp_server()

    async def refuse(server_, session, envelope, address, rcpt_options):
        return "550 5.1.1 no such user"

    server.handler.handle_RCPT = refuse
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(to="nobody@example.org")
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.FAILED, 1)
    assert "550" in email.last_error

    del server.handler.handle_RCPT
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_resend(emails=OutboundEmail.objects.all()) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)
    assert [m["message_id"] for m in server.handler.messages] == [email.message_id]
    outcomes = list(email.attempt_log.values_list("outcome", flat=True))
    assert outcomes == ["permanent", "sent"]
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_resend(emails=OutboundEmail.objects.all()) == 0  # sent: left alone


def test_sweeper_takes_back_a_lost_attempt_and_sends_once(
    real_smtp, smtp_server, django_capture_on_commit_callbacks
):
    server = smtp_server()
    email = _queue()  # not committed in this test: no task ran
    # As if a worker claimed it and was killed: sending, attempt started, lease running.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=1, lease_until=timezone.now() + timedelta(minutes=10)
    )
    EmailAttempt.objects.create(email=email, number=1, worker="lost:1")
    assert outbox_sweep()["reclaimed"] == 0
    OutboundEmail.objects.filter(pk=email.pk).update(lease_until=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep() == {"reclaimed": 1, "failed": 0, "dispatched": 1}
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 2)
    assert list(email.attempt_log.values_list("outcome", flat=True)) == ["lost", "sent"]
    assert len(server.handler.messages) == 1


def test_sweeper_fails_a_lost_last_attempt():
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENDING, attempts=8, lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert outbox_sweep()["failed"] == 1
    email.refresh_from_db()
    assert email.status == Status.FAILED
    assert "lease expired" in email.last_error


def test_reaper_marks_task_rows_of_dead_workers_failed():
    from django_tasks_db.models import DBTaskResult

    row = DBTaskResult.objects.create(
        status="RUNNING",
        task_path="outbox.tasks.email_send",
        queue_name="email",
        backend_name="default",
        args_kwargs={"args": [1], "kwargs": {}},
        started_at=timezone.now() - timedelta(hours=1),
        priority=0,
    )
    assert tasks_reap_lost() == 1
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert row.exception_class_path == "outbox.services.WorkerLost"
    assert tasks_reap_lost() == 0


def test_prune_blanks_texts_of_old_sent_emails_only(settings):
    now = timezone.now()
    old_sent = _queue(dedupe_key="old-sent", body_html="<p>b</p>")
    recent_sent = _queue(dedupe_key="recent-sent")
    old_failed = _queue(dedupe_key="old-failed")
    OutboundEmail.objects.filter(pk__in=[old_sent.pk, recent_sent.pk]).update(status=Status.SENT)
    OutboundEmail.objects.filter(pk=old_sent.pk).update(sent_at=now - timedelta(days=91))
    OutboundEmail.objects.filter(pk=recent_sent.pk).update(sent_at=now - timedelta(days=89))
    OutboundEmail.objects.filter(pk=old_failed.pk).update(
        status=Status.FAILED, created_at=now - timedelta(days=200)
    )

    assert emails_prune(days=90, now=now) == 1
    assert emails_prune(days=90, now=now) == 0

    old_sent.refresh_from_db()
    assert (old_sent.body_text, old_sent.body_html, old_sent.body_removed_at) == ("", "", now)
    assert (old_sent.to, old_sent.subject) == ("a@example.org", "s")
    assert OutboundEmail.objects.get(pk=recent_sent.pk).body_text == "b"
    assert OutboundEmail.objects.get(pk=old_failed.pk).body_text == "b"


def test_prune_command_uses_the_retention_setting(settings):
    settings.OUTBOX_BODY_RETENTION_DAYS = 30
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, sent_at=timezone.now() - timedelta(days=31)
    )
    out = StringIO()

    call_command("outbox_prune", stdout=out)

    assert "Texts removed from 1 sent e-mails older than 30 days." in out.getvalue()
    assert OutboundEmail.objects.get(pk=email.pk).body_text == ""
    settings.OUTBOX_BODY_RETENTION_DAYS = None
    call_command("outbox_prune", stdout=out)
    assert "off" in out.getvalue()
