"""Badges and their signing keys, check-in lists with entrances and rules, and every scan."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue
from registrations.models import Delegate

from . import signing


def new_serial() -> str:
    """A badge serial: 80 random bits, base32."""
    return signing.serial_text(secrets.token_bytes(signing.SERIAL_BYTES))


class SigningKey(models.Model):
    """An edition's Ed25519 key pair; badges of the edition carry its signature."""

    event = models.OneToOneField(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="signing_key"
    )
    private_key = models.BinaryField(_("private key"), max_length=32, editable=False)
    public_key = models.BinaryField(_("public key"), max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")

    def __str__(self) -> str:
        return str(self.event)


class Badge(models.Model):
    """A badge issued to a delegate; a reissued badge revokes the one before it."""

    delegate = models.ForeignKey(
        Delegate, verbose_name=_("delegate"), on_delete=models.CASCADE, related_name="badges"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="badges"
    )
    serial = models.CharField(_("serial"), max_length=16, unique=True, default=new_serial)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge")
        verbose_name_plural = _("badges")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegate"],
                condition=Q(revoked_at__isnull=True),
                name="badge_one_valid_per_delegate",
            ),
        ]

    def __str__(self) -> str:
        return self.serial


class CheckinList(models.Model):
    """Who may pass a group of entrances, each admitted once: the main gate, a sub-venue's door.

    Rules add up: a delegate must attend the list's sub-venue (when it has one), be of one of
    its categories (when it names some) and come within its time window (when it has one).
    """

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="checkin_lists"
    )
    name = models.CharField(_("name"), max_length=100)
    venue = models.ForeignKey(
        Venue,
        verbose_name=_("sub-venue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkin_lists",
        help_text=_("Only delegates attending this sub-venue pass. Empty: the whole edition."),
    )
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("Only these categories pass. None chosen: every category."),
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)

    class Meta:
        verbose_name = _("check-in list")
        verbose_name_plural = _("check-in lists")
        ordering = ["event", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="checkinlist_closes_after_opening",
                violation_error_message=_("The list must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"

    def category_labels(self) -> list[str]:
        labels = dict(Delegate.Category.choices)
        return [str(labels.get(value, value)) for value in self.categories]


class Entrance(models.Model):
    """A door where badges are scanned for one check-in list."""

    checkin_list = models.ForeignKey(
        CheckinList,
        verbose_name=_("check-in list"),
        on_delete=models.CASCADE,
        related_name="entrances",
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("entrance")
        verbose_name_plural = _("entrances")
        ordering = ["checkin_list", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Scan(models.Model):
    """One scan at an entrance and its answer; at most one admission per list and delegate."""

    class Reason(models.TextChoices):
        ADMITTED = "admitted", _("Admitted")
        ALREADY_ADMITTED = "already_admitted", _("Already admitted")
        NOT_ALLOWED = "not_allowed", _("Not allowed at this entrance")
        NOT_APPROVED = "not_approved", _("Registration not approved")
        CANCELLED = "cancelled", _("Registration cancelled")
        REVOKED = "revoked", _("Badge revoked")
        UNKNOWN = "unknown", _("Unknown code")
        FORGED = "forged", _("Forged code")
        EXPIRED = "expired", _("Expired code")
        OUTSIDE_WINDOW = "outside_window", _("Outside the entrance's time window")

    class Source(models.TextChoices):
        CODE = "code", _("QR code")
        MANUAL = "manual", _("Manual search")

    checkin_list = models.ForeignKey(
        CheckinList, verbose_name=_("check-in list"), on_delete=models.CASCADE, related_name="scans"
    )
    entrance = models.ForeignKey(
        Entrance, verbose_name=_("entrance"), on_delete=models.CASCADE, related_name="scans"
    )
    delegate = models.ForeignKey(
        Delegate,
        verbose_name=_("delegate"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="scans",
    )
    badge = models.ForeignKey(
        Badge,
        verbose_name=_("badge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scans",
    )
    reason = models.CharField(_("answer"), max_length=20, choices=Reason)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.CODE)
    code = models.CharField(_("code read"), max_length=300, blank=True)
    device = models.CharField(_("device"), max_length=64, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    nonce = models.CharField(_("nonce"), max_length=64, null=True, blank=True, unique=True)
    scanned_at = models.DateTimeField(_("scanned"), default=timezone.now)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        ordering = ["-scanned_at", "-pk"]
        permissions = [("scan_badges", _("Can scan badges at entrances"))]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin_list", "delegate"],
                condition=Q(reason="admitted"),
                name="scan_admitted_once_per_list",
            ),
        ]
        indexes = [
            models.Index(fields=["checkin_list", "scanned_at"]),
            models.Index(fields=["entrance", "scanned_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} – {self.entrance}"

    @property
    def admitted(self) -> bool:
        return self.reason == self.Reason.ADMITTED
