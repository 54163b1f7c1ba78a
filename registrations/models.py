"""A registration (``Participation``) and its history: status changes and e-mails."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from events.models import Event, Venue
from organizations.models import Organization
from outbox.models import OutboundEmail, StaffJob


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

    def with_erasure_request(self):
        """Annotate when erasure was last requested and when it was done (None: never)."""
        latest = ErasureRequest.objects.filter(participation=models.OuterRef("pk")).order_by(
            "-requested_at"
        )
        return self.annotate(
            erasure_requested_at=models.Subquery(latest.values("requested_at")[:1]),
            erasure_done_at=models.Subquery(latest.values("erased_at")[:1]),
        )


class Participation(models.Model):
    """An organization's registration to take part in an edition."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("On the waiting list")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    class Match(models.TextChoices):
        """How a registration found its institution."""

        NEW = "new", _("new institution")
        NAME = "name", _("matched by name")
        USCC = "uscc", _("matched by USCC")
        STAFF = "staff", _("chosen by staff")

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
    institution_name_given = models.CharField(
        _("institution name as typed"),
        max_length=200,
        blank=True,
        help_text=_("What the registrant typed; shown to them instead of the stored name."),
    )
    matched_by = models.CharField(
        _("institution match"), max_length=10, choices=Match, blank=True, default=""
    )
    contested = models.BooleanField(
        _("contested"),
        default=False,
        help_text=_(
            "Registered for an institution that another contact had already registered for "
            "this edition. Staff decide which registration stands; only one can be approved."
        ),
    )
    rejection_reason = models.TextField(
        _("reason for rejection"),
        blank=True,
        help_text=_(
            "Given by staff when rejecting (the field above the list's actions); the rejection "
            "e-mail and the status page carry it."
        ),
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
            # One registration per institution and edition, but for contested ones: someone
            # else using an institution's name or code cannot lock the institution itself out.
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(contested=False),
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
    def institution_name(self) -> str:
        """The institution's name as shown to the registrant: what they typed, never data
        stored about an institution they matched by name or code."""
        return self.institution_name_given or self.organization.name

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


class StaffMessage(models.Model):
    """A message from staff to an edition's registrants, filtered by status and sub-venue.

    Written in English and Chinese; each registrant gets the language they registered in (the
    other one if theirs is empty). Sent through the outbox by a staff job, one e-mail per
    registration (``EmailDelivery.message``).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    event = models.ForeignKey(
        Event, verbose_name=_("edition"), on_delete=models.PROTECT, related_name="staff_messages"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("message"),
        help_text=_(
            "Plain text. It is followed by the registration's details and its status link."
        ),
    )
    statuses = models.JSONField(
        _("registration statuses"),
        default=list,
        help_text=_("Registrations with these statuses receive the message."),
    )
    venues = models.ManyToManyField(
        Venue,
        verbose_name=_("sub-venues"),
        blank=True,
        related_name="+",
        help_text=_("Only registrations that chose one of these; none: every registration."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    job = models.ForeignKey(
        StaffJob,
        verbose_name=_("staff job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at", "-pk"]
        permissions = [("send_staffmessage", _("Can send messages to registrants"))]

    def __str__(self) -> str:
        return self.subject


class EmailDelivery(models.Model):
    """An e-mail to a registrant: why it was written; its outbox row says how sending went."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        APPROVED = "approved", _("Approval")
        WAITLISTED = "waitlisted", _("Waiting list")
        PROMOTED = "promoted", _("Promotion from the waiting list")
        REJECTED = "rejected", _("Rejection")
        CANCELLED = "cancelled", _("Cancellation")
        REMINDER = "reminder", _("Status link reminder")
        EDITION_REMINDER = "edition_reminder", _("Reminder before the edition")
        MESSAGE = "message", _("Message from staff")

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="email_deliveries",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    recipient = models.EmailField(_("recipient"))
    email = models.OneToOneField(
        OutboundEmail,
        verbose_name=_("outgoing e-mail"),
        on_delete=models.CASCADE,
        related_name="delivery",
    )
    message = models.ForeignKey(
        StaffMessage,
        verbose_name=_("message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


class SubmissionCount(models.Model):
    """Registrations sent from one address in one window of the rate limit.

    The store of the counts when the default cache is not shared by every app server (no
    Redis): an UPDATE ... SET count = count + 1 is atomic in every database, and every worker
    sees the same rows. See ``registrations.ratelimit``.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("submission count")
        verbose_name_plural = _("submission counts")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class ErasureRequest(models.Model):
    """A registrant's request, from the status page, to erase their registration's personal data.

    Staff confirm it in the admin (``registrations.privacy.erasure_request_confirm``); the
    request stays as the record that it was made and answered.
    """

    participation = models.ForeignKey(
        Participation,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="erasure_requests",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.participation_id} ({self.requested_at:%Y-%m-%d})"


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
        """Both names when both are known: 王明 (Wang Ming), 王明（Wang Ming） on Chinese pages."""
        if self.name_zh and self.name_en:
            return pgettext("a person's Chinese and English names", "%(zh)s (%(en)s)") % {
                "zh": self.name_zh,
                "en": self.name_en,
            }
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
