"""Follow-up of signed agreements: who follows each one, the stages it reached, the capital in
place. The agreement itself (title, parties, the amount announced at signing) is events'."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.text import validate_multiline, validate_single_line
from events.models import Agreement
from organizations.validators import USCC_PATTERN, validate_uscc

from .storage import private_storage


def _staff_member(verbose_name) -> models.ForeignKey:
    """Who did something to a record (recorded, verified, withdrew it): kept when the user is
    deleted, set by the services only."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )


class Currency(models.TextChoices):
    """Amounts are kept in the currency they were agreed or paid in and never converted."""

    CNY = "CNY", _("yuan (CNY)")
    USD = "USD", _("US dollars (USD)")
    HKD = "HKD", _("Hong Kong dollars (HKD)")
    EUR = "EUR", _("euros (EUR)")


class Office(models.Model):
    """An office responsible for following up agreements (an investment-promotion bureau)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    email = models.EmailField(_("e-mail"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="followup_offices",
        help_text=_("Staff of this office; follow-up officers see only their office's agreements."),
    )

    class Meta:
        verbose_name = _("follow-up office")
        verbose_name_plural = _("follow-up offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    SIGNED = "signed", _("Signed")
    COMPANY_REGISTERED = "company_registered", _("Project company registered")
    CONSTRUCTION_STARTED = "construction_started", _("Construction or operation started")
    CAPITAL_PARTLY = "capital_partly", _("Capital partly in place")
    CAPITAL_FULLY = "capital_fully", _("Capital fully in place")
    OPERATING = "operating", _("In operation")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


#: The stages of progress, in order; suspended and terminated stand outside it.
PROGRESS = [
    Stage.SIGNED,
    Stage.COMPANY_REGISTERED,
    Stage.CONSTRUCTION_STARTED,
    Stage.CAPITAL_PARTLY,
    Stage.CAPITAL_FULLY,
    Stage.OPERATING,
]
#: The date field of FollowUp set the first time a stage (or a later one) is reached.
STAGE_DATE_FIELDS = {
    Stage.COMPANY_REGISTERED: "company_registered_on",
    Stage.CONSTRUCTION_STARTED: "construction_started_on",
    Stage.CAPITAL_PARTLY: "capital_partly_on",
    Stage.CAPITAL_FULLY: "capital_fully_on",
    Stage.OPERATING: "operating_on",
}


class FollowUpQuerySet(models.QuerySet):
    def for_user(self, user):
        """The follow-ups a staff member may see: all with the right to see all, otherwise those
        of the offices they belong to."""
        if user.is_superuser or user.has_perm("followup.view_all_followups"):
            return self
        return self.filter(office__members=user)


class FollowUp(models.Model):
    """The follow-up record of one agreement, from signature to operation."""

    agreement = models.OneToOneField(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="followup"
    )
    reference = models.CharField(
        _("reference"),
        max_length=40,
        unique=True,
        validators=[validate_single_line],
        help_text=_("The office's own reference; spreadsheet imports match rows by it."),
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
    )
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
    )
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    notes = models.TextField(
        _("notes"), blank=True, validators=[validate_multiline], help_text=_("Never published.")
    )
    stage = models.CharField(
        _("stage"), max_length=30, choices=Stage, default=Stage.SIGNED, editable=False
    )
    stage_on = models.DateField(_("stage reached on"), null=True, blank=True, editable=False)
    company_registered_on = models.DateField(_("company registered on"), null=True, editable=False)
    construction_started_on = models.DateField(
        _("construction started on"), null=True, editable=False
    )
    capital_partly_on = models.DateField(_("capital partly in place on"), null=True, editable=False)
    capital_fully_on = models.DateField(_("capital fully in place on"), null=True, editable=False)
    operating_on = models.DateField(_("in operation since"), null=True, editable=False)
    project_company_name = models.CharField(
        _("project company"), max_length=200, blank=True, validators=[validate_single_line]
    )
    project_company_uscc = models.CharField(
        _("project company's USCC"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("Unified Social Credit Code of the company registered for the project."),
    )
    contracted_amount = models.DecimalField(
        _("contracted amount"),
        max_digits=20,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "The amount of the binding contract, when there is one; the amount announced at "
            "signing stays on the agreement."
        ),
    )
    contracted_currency = models.CharField(
        _("currency of the contracted amount"), max_length=3, choices=Currency, default="CNY"
    )
    publish_stage = models.BooleanField(
        _("publish the stage"), default=False, help_text=_("Stages and their dates.")
    )
    publish_amounts = models.BooleanField(_("publish the contracted amount"), default=False)
    publish_realised = models.BooleanField(
        _("publish the capital in place"),
        default=False,
        help_text=_("Totals of verified entries only; never the documents or notes."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = FollowUpQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("agreement follow-up")
        verbose_name_plural = _("agreement follow-ups")
        ordering = ["reference"]
        permissions = [
            ("view_all_followups", _("Can see the follow-ups of every office")),
            ("withdraw_stage", _("Can withdraw a stage recorded by mistake")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_amount__isnull=True) | Q(contracted_amount__gte=0),
                name="followup_contracted_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(project_company_uscc="") | Q(project_company_uscc__regex=USCC_PATTERN),
                name="followup_uscc_format",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="followup_stage_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.agreement}"

    @property
    def is_ended(self) -> bool:
        return self.stage in (Stage.SUSPENDED, Stage.TERMINATED)


class MilestoneQuerySet(models.QuerySet):
    def standing(self):
        """The milestones not withdrawn: the agreement's actual progress."""
        return self.filter(withdrawn_at__isnull=True)


class Milestone(models.Model):
    """A dated change of stage, as the one service recorded it."""

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, related_name="milestones"
    )
    stage = models.CharField(_("stage"), max_length=30, choices=Stage)
    reached_on = models.DateField(_("date"))
    reason = models.TextField(
        _("reason"),
        blank=True,
        validators=[validate_multiline],
        help_text=_("Required for a suspension or termination. Never published."),
    )
    recorded_by = _staff_member(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    # A stage recorded by mistake is withdrawn, not deleted: staff still see what was entered.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True, editable=False)
    withdrawn_by = _staff_member(_("withdrawn by"))
    withdrawal_reason = models.TextField(
        _("why it was withdrawn"), blank=True, editable=False, validators=[validate_multiline]
    )

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["reached_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage__in=["suspended", "terminated"]) | ~Q(reason=""),
                name="milestone_end_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.reached_on})"


class CapitalEntry(models.Model):
    """Money actually in place for an agreement's project, with the document that proves it."""

    class Kind(models.TextChoices):
        EQUITY = "equity", _("Equity")
        LOAN = "loan", _("Loan")
        FUND_CONTRIBUTION = "fund_contribution", _("Fund contribution")

    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.PROTECT, related_name="entries"
    )
    amount = models.DecimalField(
        _("amount"), max_digits=20, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency, default="CNY")
    received_on = models.DateField(_("in place on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    evidence = models.FileField(
        _("evidence"),
        storage=private_storage,
        upload_to="evidence/%Y/%m/",
        blank=True,
        help_text=_("Bank statement, capital verification report… Kept private."),
    )
    note = models.TextField(
        _("note"), blank=True, validators=[validate_multiline], help_text=_("Never published.")
    )
    recorded_by = _staff_member(_("recorded by"))
    verified_by = _staff_member(_("verified by"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capital in place")
        verbose_name_plural = _("capital in place (ledger)")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="capital_entry_positive"),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | ~Q(evidence=""),
                name="capital_entry_verified_has_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} ({self.received_on})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class HeadlineFigure(models.Model):
    """A reported key figure that claims an outcome of agreements ("fund cooperation facilitated:
    over 100 billion yuan"), shown beside what the follow-up records compute."""

    class Compare(models.TextChoices):
        ANNOUNCED = "announced", _("amounts announced at signing")
        REALISED = "realised", _("capital in place")

    key_figure = models.OneToOneField(
        "events.KeyFigure",
        verbose_name=_("key figure"),
        on_delete=models.CASCADE,
        related_name="headline",
    )
    compare_with = models.CharField(
        _("compare with"), max_length=20, choices=Compare, default=Compare.ANNOUNCED
    )

    class Meta:
        verbose_name = _("headline outcome figure")
        verbose_name_plural = _("headline outcome figures")

    def __str__(self) -> str:
        return str(self.key_figure)
