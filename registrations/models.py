"""The history of each registration: status changes and e-mails sent or failed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Participation


class StatusChange(models.Model):
    """One change of a registration's status, with who or what made it."""

    class Cause(models.TextChoices):
        REGISTERED = "registered", _("Registered through the public form")
        STAFF = "staff", _("Staff decision")
        AUTOMATIC = "automatic", _("Automatic confirmation")
        PROMOTED = "promoted", _("Promoted from the waiting list")
        REGISTRANT = "registrant", _("Cancelled by the registrant")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    old_status = models.CharField(
        _("from"), max_length=20, choices=Participation.Status, blank=True
    )
    new_status = models.CharField(_("to"), max_length=20, choices=Participation.Status)
    cause = models.CharField(_("cause"), max_length=20, choices=Cause)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.old_status or '-'} → {self.new_status}"


class EmailDelivery(models.Model):
    """An e-mail to a registrant, and whether the mail server accepted it."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        APPROVED = "approved", _("Approval")
        WAITLISTED = "waitlisted", _("Waiting list")
        PROMOTED = "promoted", _("Promotion from the waiting list")
        REJECTED = "rejected", _("Rejection")
        CANCELLED = "cancelled", _("Cancellation")
        REMINDER = "reminder", _("Status link reminder")

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    recipient = models.EmailField(_("recipient"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_outcome_display()})"
