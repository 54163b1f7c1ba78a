"""The e-mail outbox: queue an e-mail with the change that causes it, send it from a worker,
retry with backoff, recover what a lost worker left behind.

The contract (docs/deployment.md, "E-mail"):

- ``email_queue`` writes the row in the caller's transaction; the send task is enqueued once it
  commits. A rolled-back change sends nothing.
- An attempt claims the row with a conditional UPDATE (queued and due → sending, attempts + 1,
  a lease), so one attempt at a time whatever number of tasks run for the row. SMTP is called
  with no transaction open; the outcome is written only if the row is still ours (fenced on the
  attempt number).
- A temporary failure queues the row again after a backoff (1 min … 8 h, 8 attempts over about
  15 h); a permanent refusal (5xx) or the last attempt marks it failed, to be re-sent from the
  admin.
- ``outbox_sweep`` (``manage.py tasks_sweep``, every minute) takes back rows whose worker died
  (expired lease) and re-enqueues due rows whose task was lost.

At least once: if a worker dies after the mail server accepted a message and before the outcome
is written, the row is sent again when its lease expires, with the same Message-ID header. It is
the only way to a duplicate, and the attempt log then shows a "worker lost" attempt.
"""

import logging
import os
import random
import smtplib
import socket
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .models import EmailAttempt, OutboundEmail

logger = logging.getLogger(__name__)
Status = OutboundEmail.Status
Outcome = EmailAttempt.Outcome

#: Seconds before attempt n + 1 after attempt n failed (n = 1..7), ±10 %; about 15 h in all.
BACKOFF = (60, 5 * 60, 15 * 60, 3600, 2 * 3600, 4 * 3600, 8 * 3600)
#: A due row whose task has not claimed it after this long gets a new task from the sweeper.
DISPATCH_GRACE = timedelta(minutes=5)
ERASED_ERROR = "personal data erased before sending"


def _backoff_seconds(attempt: int) -> float:
    schedule = settings.OUTBOX_BACKOFF or BACKOFF
    base = schedule[min(attempt, len(schedule)) - 1]
    return base * random.uniform(0.9, 1.1)  # noqa: S311 - jitter spreads the retries of an outage


def _enqueue(email_pk: int, *, priority: int = 0, run_after: datetime | None = None) -> None:
    from .tasks import email_send

    options = {"priority": priority}
    if run_after is not None:
        options["run_after"] = run_after
    email_send.using(**options).enqueue(email_pk)


def _enqueue_on_commit(email_pk: int, **options) -> None:
    transaction.on_commit(lambda: _enqueue(email_pk, **options), robust=True)


def email_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    kind: str,
    language: str = "en",
    dedupe_key: str | None = None,
    priority: int = 0,
) -> OutboundEmail | None:
    """Queue one e-mail in the caller's transaction; it is sent once that transaction commits.

    With ``dedupe_key``, an e-mail already queued under that key (ever) is not queued again and
    None is returned. ``priority`` (-100..100) orders the send tasks: bulk mail uses -10 so
    that receipts overtake it.
    """
    if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin only loses this insert
            email = OutboundEmail.objects.create(
                to=to,
                subject=" ".join(subject.split())[:255],
                body_text=body_text,
                body_html=body_html,
                kind=kind,
                language=language,
                dedupe_key=dedupe_key or "",
            )
    except IntegrityError:
        if dedupe_key and OutboundEmail.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    _enqueue_on_commit(email.pk, priority=priority)
    return email


def emails_resend(*, emails: QuerySet[OutboundEmail]) -> int:
    """Give failed e-mails one more attempt now; return how many were queued again.

    A sent e-mail is not re-sent: each row stays one e-mail.
    """
    now, count = timezone.now(), 0
    for pk, attempts in emails.filter(status=Status.FAILED).values_list("pk", "attempts"):
        with transaction.atomic():
            if OutboundEmail.objects.filter(pk=pk, status=Status.FAILED).update(
                status=Status.QUEUED,
                next_attempt_at=now,
                dispatched_at=now,
                max_attempts=attempts + 1,
            ):
                _enqueue_on_commit(pk)
                count += 1
    return count


def emails_scrub(*, emails: QuerySet[OutboundEmail], addresses: Iterable[str], placeholder: str):
    """Erase personal data from e-mails: recipient, bodies (they hold the contact's name and a
    status link), the addresses in errors. E-mails not yet sent never leave."""
    import re

    def scrub(text: str, extra: str) -> str:
        for address in {*addresses, extra}:
            if address:
                text = re.sub(re.escape(address), lambda _m: placeholder, text, flags=re.I)
        return text

    count = 0
    for email in emails.only("pk", "to", "subject", "last_error", "status"):
        changes = {
            "to": placeholder,
            "subject": scrub(email.subject, email.to),
            "body_text": "",
            "body_html": "",
            "last_error": scrub(email.last_error, email.to),
        }
        if email.status == Status.QUEUED:
            changes.update(status=Status.FAILED, last_error=ERASED_ERROR)
        OutboundEmail.objects.filter(pk=email.pk).update(**changes)
        for attempt in EmailAttempt.objects.filter(email_id=email.pk).exclude(error=""):
            EmailAttempt.objects.filter(pk=attempt.pk).update(error=scrub(attempt.error, email.to))
        count += 1
    return count


def emails_prune(*, days: int, now: datetime | None = None) -> int:
    """Blank the bodies of e-mails sent more than ``days`` ago; return how many.

    A body holds the contact's name and a status link; once delivered it is needed only for a
    while (a complaint, a "did you send it?"). The row stays: recipient, subject, dates and
    attempts remain the delivery record. Failed and queued e-mails keep their text to be sent.
    """
    cutoff = (now or timezone.now()) - timedelta(days=days)
    return OutboundEmail.objects.filter(
        status=Status.SENT, sent_at__lt=cutoff, body_removed_at__isnull=True
    ).update(body_text="", body_html="", body_removed_at=now or timezone.now())


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(email_pk: int, worker: str) -> tuple[OutboundEmail, int] | None:
    """Take the row for one attempt; of any number of callers exactly one wins."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    with transaction.atomic():
        won = OutboundEmail.objects.filter(
            pk=email_pk, status=Status.QUEUED, next_attempt_at__lte=now
        ).update(status=Status.SENDING, attempts=F("attempts") + 1, lease_until=lease)
        if not won:
            return None
        email = OutboundEmail.objects.get(pk=email_pk)
        EmailAttempt.objects.create(email=email, number=email.attempts, worker=worker[:100])
    return email, email.attempts


def _is_permanent(exc: BaseException) -> bool:
    """A 5xx answer: the server will refuse this message whenever we try."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def _finish(email: OutboundEmail, number: int, *, exc: BaseException | None) -> None:
    """Record the attempt's outcome, only if the row is still ours (fenced on the attempt)."""
    now = timezone.now()
    mine = OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING, attempts=number)
    attempt = EmailAttempt.objects.filter(email=email, number=number)
    with transaction.atomic():
        if exc is None:
            mine.update(status=Status.SENT, sent_at=now, lease_until=None, last_error="")
            attempt.update(outcome=Outcome.SENT, finished_at=now)
            return
        error = f"{type(exc).__name__}: {exc}"[:2000]
        permanent = _is_permanent(exc)
        attempt.update(
            outcome=Outcome.PERMANENT if permanent else Outcome.TRANSIENT,
            finished_at=now,
            error=error,
        )
        if permanent or number >= email.max_attempts:
            mine.update(status=Status.FAILED, lease_until=None, last_error=error)
            return
        when = now + timedelta(seconds=_backoff_seconds(number))
        from .tasks import email_send

        # A backend that cannot defer (the immediate one of the tests) gets no task now: the
        # sweeper dispatches the row once it is due (next_attempt_at > dispatched_at).
        defer = email_send.get_backend().supports_defer
        changed = mine.update(
            status=Status.QUEUED,
            next_attempt_at=when,
            lease_until=None,
            last_error=error,
            **({"dispatched_at": when} if defer else {}),
        )
        if changed and defer:
            _enqueue_on_commit(email.pk, run_after=when)


def email_send_attempt(*, email_pk: int, worker: str = "") -> str:
    """Make one attempt to send an e-mail: "sent", "failed" (recorded) or "skipped".

    Skipped: sent already, being sent by another attempt, or not due yet.
    """
    claimed = _claim(email_pk, worker or _worker_name())
    if claimed is None:
        return "skipped"
    email, number = claimed
    message = EmailMultiAlternatives(
        email.subject,
        email.body_text,
        settings.DEFAULT_FROM_EMAIL,
        [email.to],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()  # no database transaction is open here
    except Exception as exc:
        logger.warning(
            "Could not send the %s e-mail %s (attempt %s): %s", email.kind, email_pk, number, exc
        )
        _finish(email, number, exc=exc)
        return "failed"
    # The at-least-once edge: the server has the message. If this process dies before the next
    # line commits, the lease expires and the row is sent again, with the same Message-ID.
    _finish(email, number, exc=None)
    return "sent"


def outbox_sweep(*, now: datetime | None = None, limit: int = 1000) -> dict[str, int]:
    """Recover what lost workers and tasks left behind. Idempotent; safe on several hosts."""
    now = now or timezone.now()
    counts = {"reclaimed": 0, "failed": 0, "dispatched": 0}
    # 1. Expired leases: the worker died (kill -9, out of memory, reboot) during an attempt.
    expired = OutboundEmail.objects.filter(status=Status.SENDING, lease_until__lt=now)
    for pk, attempts, max_attempts in expired.values_list("pk", "attempts", "max_attempts")[:limit]:
        gave_up = attempts >= max_attempts
        with transaction.atomic():
            taken = OutboundEmail.objects.filter(
                pk=pk, status=Status.SENDING, attempts=attempts, lease_until__lt=now
            ).update(
                status=Status.FAILED if gave_up else Status.QUEUED,
                next_attempt_at=now,
                lease_until=None,
                last_error="worker lost during the attempt (lease expired)",
            )
            if taken:
                EmailAttempt.objects.filter(
                    email_id=pk, number=attempts, outcome=Outcome.STARTED
                ).update(outcome=Outcome.LOST, finished_at=now, error="worker lost")
                counts["failed" if gave_up else "reclaimed"] += 1
    # 2. Due rows no task claimed: the task was lost with its worker, the enqueue after commit
    #    failed, or the backend could not defer the retry.
    stale = OutboundEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now).filter(
        Q(dispatched_at__lte=now - DISPATCH_GRACE) | Q(next_attempt_at__gt=F("dispatched_at"))
    )
    for pk in stale.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            if stale.filter(pk=pk).update(dispatched_at=now):  # one sweeper wins each row
                _enqueue_on_commit(pk)
                counts["dispatched"] += 1
    return counts


class WorkerLost(Exception):  # noqa: N818 - the name is what the admin shows
    """Recorded on a task whose worker died (kill -9, out of memory, reboot) while running it."""


#: Longer than any task of the queue may run; then a RUNNING task row is marked failed.
LOST_AFTER = {
    "email": timedelta(minutes=30),
    "default": timedelta(hours=1),
    "staff": timedelta(hours=6),
}


def tasks_reap_lost(*, now: datetime | None = None) -> int:
    """Mark task rows RUNNING for too long failed: django-tasks-db never revisits them.

    Our own rows (the outbox, staff jobs) carry the truth; this only keeps the task list honest.
    """
    from django_tasks_db.models import DBTaskResult

    from .tasks import TaskResultStatus

    now = now or timezone.now()
    reaped = 0
    for queue, age in LOST_AFTER.items():
        reaped += DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, queue_name=queue, started_at__lt=now - age
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"Still running {age} after it started: its worker was lost.",
        )
    return reaped
