"""A registration (``Participation``) and its history: status changes and e-mails."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Venue
from organizations.models import Organization


def new_reference() -> str:
    """Return an unguessable registration reference (192 random bits)."""
    return secrets.token_urlsafe(24)


class ParticipationQuerySet(models.QuerySet):
    def approved(self):
        """Registrations that hold places: only approved ones do."""
        return self.filter(status=Participation.Status.APPROVED)

    def waitlisted(self):
        return self.filter(status=Participation.Status.WAITLISTED)

    def listed(self):
        """Approved registrations whose institution agreed to be named publicly."""
        return self.approved().filter(listed_publicly=True)

    def public(self):
        """Listed registrations of published editions: what the public pages may show."""
        return self.listed().filter(event__is_published=True)


class Participation(models.Model):
    """An organization's registration to take part in an edition."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("On the waiting list")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="participations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_position = models.CharField(_("contact's position"), max_length=100, blank=True)
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    delegates = models.PositiveSmallIntegerField(
        _("delegates"), default=1, validators=[MinValueValidator(1)]
    )
    venues = models.ManyToManyField(
        Venue, verbose_name=_("sub-venues chosen"), blank=True, related_name="participations"
    )
    listed_publicly = models.BooleanField(
        _("may be listed publicly"),
        default=False,
        help_text=_("The institution agreed to appear in the public list of participants."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.PENDING, db_index=True
    )
    reference = models.CharField(
        _("reference"), max_length=64, unique=True, default=new_reference, editable=False
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ParticipationQuerySet.as_manager()

    #: Statuses a registration can still leave by being cancelled or rejected.
    ONGOING = frozenset({Status.PENDING, Status.APPROVED, Status.WAITLISTED})

    class Meta:
        # The table was created when registrations lived in the events app.
        db_table = "events_participation"
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        permissions = [
            ("review_participation", _("Can approve, wait-list and reject registrations")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"],
                name="participation_one_per_organization_and_event",
                violation_error_message=_(
                    "This institution is already registered for this edition."
                ),
            ),
            models.CheckConstraint(
                condition=Q(delegates__gte=1), name="participation_at_least_one_delegate"
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.organization} – {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:status", kwargs={"reference": self.reference})

    @property
    def can_be_cancelled(self) -> bool:
        return self.status in self.ONGOING


class StatusChange(models.Model):
    """One change of a registration's status, with who or what made it."""

    class Cause(models.TextChoices):
        REGISTERED = "registered", _("Registered through the public form")
        ADDED_BY_STAFF = "added", _("Added by staff")
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


class Delegate(models.Model):
    """A named person of a registration's delegation: who comes, and to which sub-venues."""

    class Category(models.TextChoices):
        OFFICIAL = "official", _("Official")
        VIP = "vip", _("VIP")
        INVESTOR = "investor", _("Investor")
        GUEST = "guest", _("Guest")
        PRESS = "press", _("Press")
        STAFF = "staff", _("Staff")

    #: Categories whose arrival protocol staff follow on the day.
    PROTOCOL = frozenset({Category.OFFICIAL, Category.VIP})

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="delegate_list",
    )
    name_zh = models.CharField(_("name in Chinese"), max_length=50, blank=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    mobile = models.CharField(
        _("mobile number"),
        max_length=24,
        blank=True,
        help_text=_("Only for finding the delegate at the entrance; never shown publicly."),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category, default=Category.GUEST
    )
    venues = models.ManyToManyField(
        Venue, verbose_name=_("sub-venues attended"), blank=True, related_name="delegates"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["participation", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""),
                name="delegate_has_a_name",
                violation_error_message=_("Give the delegate's name in Chinese or in English."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """Both names when both are known: 王明 (Wang Ming)."""
        if self.name_zh and self.name_en:
            return f"{self.name_zh} ({self.name_en})"
        return self.name_zh or self.name_en


def default_category(organization: Organization) -> str:
    """The category a new delegate of this institution starts in; staff may change it."""
    kinds = Organization.Kind
    return {
        kinds.GOVERNMENT: Delegate.Category.OFFICIAL,
        kinds.MEDIA: Delegate.Category.PRESS,
        kinds.VC_FIRM: Delegate.Category.INVESTOR,
        kinds.PE_FIRM: Delegate.Category.INVESTOR,
    }.get(organization.kind, Delegate.Category.GUEST)
