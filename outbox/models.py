"""The e-mail outbox (one row per e-mail, with its attempts) and staff jobs with progress."""

from django.conf import settings
from django.core.mail import make_msgid
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_message_id() -> str:
    """Return the Message-ID header of a new e-mail; every attempt to send it reuses it."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


class OutboundEmail(models.Model):
    """One e-mail: written in the transaction of the change that causes it, sent by a task.

    The body is rendered when the row is written, in the recipient's language: it is what they
    are told at that moment. The row is the idempotency key of the send: whatever number of
    tasks run for it, it is claimed by one attempt at a time.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=30)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    # Unique per logical e-mail ("reminder:3:9:7"): a command re-run never queues one twice.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, blank=True)
    # Sent as the Message-ID header, the same on every attempt: a duplicate caused by a worker
    # lost after the server accepted the message carries the id of the first copy.
    message_id = models.CharField(
        _("Message-ID"), max_length=255, default=new_message_id, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=8)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # When a send task was last enqueued (or is due to run): the sweeper re-enqueues rows whose
    # task did not claim them in time.
    dispatched_at = models.DateTimeField(_("dispatched"), default=timezone.now)
    # While SENDING: the attempt's claim expires then and the sweeper takes the row back.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Set when the retention job blanked the bodies of this sent e-mail (outbox_prune).
    body_removed_at = models.DateTimeField(_("text removed"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        permissions = [("resend_outboundemail", _("Can re-send failed e-mails"))]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="outbox_email_one_per_dedupe_key",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_until__isnull=False),
                name="outbox_email_sending_has_lease",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to} ({self.get_status_display()})"


class EmailAttempt(models.Model):
    """One attempt to hand an e-mail to the mail server."""

    class Outcome(models.TextChoices):
        STARTED = "started", _("Started")  # stays so while running, or if the worker died
        SENT = "sent", _("Sent")
        TRANSIENT = "transient", _("Temporary failure")
        PERMANENT = "permanent", _("Permanent failure")
        LOST = "lost", _("Worker lost")

    email = models.ForeignKey(
        OutboundEmail,
        verbose_name=_("e-mail"),
        on_delete=models.CASCADE,
        related_name="attempt_log",
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome, default=Outcome.STARTED
    )
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["email", "number"]
        constraints = [
            models.UniqueConstraint(fields=["email", "number"], name="outbox_one_row_per_attempt")
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_outcome_display()}"


class StaffJob(models.Model):
    """A long staff operation (import, export, backup, bulk message) run by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", pgettext_lazy("Task", "Failed")  # not "sending failed"

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input_file = models.FileField(_("input file"), upload_to="jobs/in/", blank=True)
    output_file = models.FileField(_("result file"), upload_to="jobs/out/", blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff job")
        verbose_name_plural = _("staff jobs")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title or self.kind
