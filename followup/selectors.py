"""Reads of the follow-up: the outcome rates of a set of agreements, an agreement's timeline and
capital in place, the follow-ups due. Every function runs a fixed number of queries, however many
agreements there are."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.bilingual import plain
from events.models import Agreement, KeyFigure

from .models import PROGRESS, CapitalEntry, Currency, FollowUp, Milestone, Stage


@dataclass
class Rate:
    """``count`` of ``of`` agreements, with what is counted."""

    key: str
    label: str
    definition: str
    count: int
    of: int

    @property
    def percent(self) -> Decimal | None:
        """The share in percent with one decimal, or None when there is nothing to divide by."""
        if not self.of:
            return None
        return (Decimal(self.count) * 100 / self.of).quantize(Decimal("0.1"))


def _yuan_first(currency: str) -> tuple[bool, str]:
    return currency != "CNY", currency


@dataclass
class CapitalShare:
    """Capital in place against the capital contracted, in one currency (资金到位率 by amount)."""

    currency: str
    in_place: Decimal
    contracted: Decimal
    #: Agreements whose contracted amount and capital in place are both counted.
    agreements: int

    @property
    def label(self) -> str:
        return Currency(self.currency).label

    @property
    def percent(self) -> Decimal | None:
        if not self.contracted:
            return None
        return (self.in_place * 100 / self.contracted).quantize(Decimal("0.1"))


@dataclass
class Outcomes:
    #: Agreements in the set.
    agreements: int
    #: Agreements whose progress is counted (public: their stage is published).
    counted: int
    rates: list[Rate]
    #: Sum of the amounts announced at signing (always yuan), None when none was announced.
    announced_yuan: Decimal | None
    #: Contracted and verified capital in place, per currency; never added across currencies.
    contracted: dict[str, Decimal] = field(default_factory=dict)
    realised: dict[str, Decimal] = field(default_factory=dict)
    #: Capital in place per edition (its pk; None: signed outside an edition) and currency.
    realised_per_event: dict[int | None, dict[str, Decimal]] = field(default_factory=dict)
    #: Capital in place against contracted, per currency of the contracts, yuan first.
    capital_shares: list[CapitalShare] = field(default_factory=list)

    @property
    def not_counted(self) -> int:
        return self.agreements - self.counted

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.contracted) | set(self.realised), key=_yuan_first)

    @property
    def by_currency(self) -> list[tuple[str, str, Decimal | None, Decimal | None]]:
        """(currency, its name, contracted, capital in place) per currency, yuan first."""
        return [
            (c, Currency(c).label, self.contracted.get(c), self.realised.get(c))
            for c in self.currencies
        ]

    def rate(self, key: str) -> Rate:
        return next(rate for rate in self.rates if rate.key == key)


_LANDED = ("company_registered_on", "construction_started_on", "operating_on")
_STARTED = ("construction_started_on", "operating_on")
_FOLLOWUP_COLUMNS = (
    "id",
    "stage",
    "publish_stage",
    "publish_amounts",
    "publish_realised",
    "contracted_amount",
    "contracted_currency",
    *_LANDED,
)


def _add(totals: dict, key, amount: Decimal) -> None:
    totals[key] = totals.get(key, 0) + amount


def outcome_rates(*, agreements: QuerySet, public: bool) -> Outcomes:
    """The follow-up rates of ``agreements`` (an Agreement queryset) in two queries.

    Denominator: every agreement of the set whose progress is counted. For the public
    (``public=True``) that is an agreement without a follow-up record (it is at *signed*, which
    is public anyway) or one whose stage staff chose to publish; the others are reported apart
    as "progress not published". For staff, every agreement. Terminated and suspended
    agreements stay in the denominator: leaving them out would flatter the rates.

    - **performance** (履约率): the current stage is past *signed* and neither suspended nor
      terminated (project company registered, construction or operation started, capital
      partly or fully in place, in operation).
    - **landed** (落地率): a project company was registered, or construction or operation
      started (a recorded date, even if the agreement was later suspended or terminated).
    - **started** (开工率): construction or operation started (a recorded date).
    - **capital** (资金到位率, by count): at least one entry of capital in place has been
      verified against its evidence. Whether any capital is in place counts as progress (its
      stage says as much), so it follows the published stage; the amounts are in ``realised``,
      per currency, only where the capital in place is published.
    - **mou_conversion**: of the memoranda of understanding counted, those with verified
      capital in place (the conversion of MoUs into investment).
    - **terminated**: the current stage is *terminated*.
    - **capital by amount** (资金到位率 by amount, ``capital_shares``), per currency of the
      contracts: verified capital in place in that currency ÷ the contracted amounts in that
      currency, over the agreements with a contracted amount whose amounts and capital in place
      are both published (for staff: all with a contracted amount). Capital in place in another
      currency than the contract's is not counted against it; a share may pass 100%.

    Amounts: the announced amount is the agreement's own (yuan). Contracted amounts and capital
    in place are summed per currency and never converted or added across currencies; for the
    public only from agreements whose amounts (contracted) or capital in place (realised) are
    published, and capital in place only from verified entries.

    The rows are added up here, not in SQL: the few columns of each agreement are cheaper to
    read and count than one aggregate query with a filtered count per rate is to build
    (the edition page spent a sixth of its time compiling it).
    """
    agreements = agreements.order_by()
    verified: dict[int, dict[str, Decimal]] = {}
    for agreement_id, currency, total in (
        CapitalEntry.objects.filter(
            followup__agreement__in=agreements.values("pk"), verified_at__isnull=False
        )
        .order_by()
        .values_list("followup__agreement", "currency")
        .annotate(total=Sum("amount"))
    ):
        verified.setdefault(agreement_id, {})[currency] = total
    progressing = {stage.value for stage in PROGRESS[1:]}
    totals: Counter[str] = Counter()
    announced = None
    contracted: dict[str, Decimal] = {}
    realised: dict[str, Decimal] = {}
    per_event: dict[int | None, dict[str, Decimal]] = {}
    shares: dict[str, CapitalShare] = {}
    rows = plain(agreements).values(
        "pk", "event", "kind", "amount_yuan", *(f"followup__{c}" for c in _FOLLOWUP_COLUMNS)
    )
    for row in rows:
        followup = {c: row[f"followup__{c}"] for c in _FOLLOWUP_COLUMNS}
        capital = verified.get(row["pk"], {})
        event_realised = per_event.setdefault(row["event"], {})
        totals["agreements"] += 1
        if row["amount_yuan"] is not None:
            announced = (announced or 0) + row["amount_yuan"]
        amount = followup["contracted_amount"]
        if amount is not None and (not public or followup["publish_amounts"]):
            currency = followup["contracted_currency"]
            _add(contracted, currency, amount)
            if not public or followup["publish_realised"]:
                share = shares.get(currency) or CapitalShare(currency, Decimal(0), Decimal(0), 0)
                shares[currency] = share
                share.contracted += amount
                share.in_place += capital.get(currency, 0)
                share.agreements += 1
        if not public or followup["publish_realised"]:
            for currency, total in capital.items():
                _add(realised, currency, total)
                _add(event_realised, currency, total)
        if public and followup["id"] is not None and not followup["publish_stage"]:
            continue  # progress not published: not counted
        totals["counted"] += 1
        totals["performance"] += followup["stage"] in progressing
        totals["landed"] += any(followup[name] for name in _LANDED)
        totals["started"] += any(followup[name] for name in _STARTED)
        totals["capital"] += bool(capital)
        totals["mous"] += row["kind"] == Agreement.Kind.MOU
        totals["mous_converted"] += row["kind"] == Agreement.Kind.MOU and bool(capital)
        totals["terminated"] += followup["stage"] == Stage.TERMINATED
    of = totals["counted"]

    def rate(key: str, label, definition, of: int = of) -> Rate:
        return Rate(key, label, definition, totals[key], of)

    rates = [
        rate(
            "performance",
            _("Agreements being performed"),
            _(
                "Past signing (project company registered, construction started, capital in "
                "place or in operation) and neither suspended nor terminated."
            ),
        ),
        rate(
            "landed",
            _("Projects landed"),
            _("A project company was registered, or construction or operation started."),
        ),
        rate("started", _("Construction started"), _("Construction or operation started.")),
        rate(
            "capital",
            pgettext_lazy("outcome rate", "Capital in place"),
            _("At least some capital is in place, verified against a document."),
        ),
        Rate(
            "mou_conversion",
            _("Memoranda converted into investment"),
            _("Memoranda of understanding with capital in place, of all memoranda."),
            totals["mous_converted"],
            totals["mous"],
        ),
        rate(
            "terminated",
            pgettext_lazy("outcome rate", "Terminated"),
            _("Agreements ended without being carried out (kept in every denominator)."),
        ),
    ]
    return Outcomes(
        agreements=totals["agreements"],
        counted=of,
        rates=rates,
        announced_yuan=announced,
        contracted=contracted,
        realised=realised,
        realised_per_event=per_event,
        capital_shares=sorted(shares.values(), key=lambda share: _yuan_first(share.currency)),
    )


@dataclass
class AgreementProgress:
    """What the public may see of one agreement's follow-up."""

    stage: str
    stage_label: str
    milestones: list[Milestone]
    contracted: tuple[Decimal, str] | None
    realised: dict[str, Decimal] | None
    shows_stage: bool
    shows_amounts: bool = False
    shows_realised: bool = False


def agreement_progress(*, agreement: Agreement) -> AgreementProgress:
    """The published part of ``agreement``'s follow-up (at most three queries)."""
    followup = FollowUp.objects.filter(agreement=agreement).first()
    if followup is None:
        return AgreementProgress(Stage.SIGNED, Stage.SIGNED.label, [], None, None, True)
        # (no record: nothing is known beyond the signature, and nothing is hidden)
    milestones = list(followup.milestones.standing()) if followup.publish_stage else []
    realised = None
    if followup.publish_realised:
        realised = {
            row["currency"]: row["total"]
            for row in followup.entries.filter(verified_at__isnull=False)
            .order_by()
            .values("currency")
            .annotate(total=Sum("amount"))
        }
    contracted = None
    if followup.publish_amounts and followup.contracted_amount is not None:
        contracted = (followup.contracted_amount, followup.contracted_currency)
    return AgreementProgress(
        stage=followup.stage,
        stage_label=followup.get_stage_display(),
        milestones=milestones,
        contracted=contracted,
        realised=realised,
        shows_stage=followup.publish_stage,
        shows_amounts=followup.publish_amounts,
        shows_realised=followup.publish_realised,
    )


def followup_realised(*, followup: FollowUp) -> dict[str, Decimal]:
    """The verified capital in place of one follow-up, per currency (staff view)."""
    return {
        row["currency"]: row["total"]
        for row in followup.entries.filter(verified_at__isnull=False)
        .order_by()
        .values("currency")
        .annotate(total=Sum("amount"))
    }


def followups_overdue(*, user=None, today: datetime.date) -> QuerySet:
    """Follow-ups whose next follow-up date has passed (not terminated), oldest first; only
    those ``user`` may see when given."""
    followups = FollowUp.objects.all() if user is None else FollowUp.objects.for_user(user)
    return (
        followups.filter(next_follow_up_on__lt=today)
        .exclude(stage=Stage.TERMINATED)
        .select_related("agreement", "office", "case_officer")
        .order_by("next_follow_up_on", "pk")
    )


def headline_figures(*, series=None, event=None) -> list:
    """Reported key figures marked as outcome claims, of ``series`` or ``event`` (one query)."""
    figures = KeyFigure.objects.filter(headline__isnull=False).select_related(
        "headline", "reported_by__organization"
    )
    if event is not None:
        figures = figures.filter(Q(event=event) | Q(series_id=event.series_id))
    else:
        figures = figures.filter(Q(series=series) | Q(event__series=series))
    return list(figures.order_by("order", "pk"))


def agreements_progress(*, agreements) -> dict[int, AgreementProgress]:
    """The published follow-up of many agreements (their pks or a queryset), in three queries."""
    followups = list(
        FollowUp.objects.filter(agreement__in=agreements).prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.standing())
        )
    )
    realised: dict[int, dict[str, Decimal]] = {}
    for row in (
        CapitalEntry.objects.filter(
            followup__in=[f.pk for f in followups if f.publish_realised],
            verified_at__isnull=False,
        )
        .order_by()
        .values("followup", "currency")
        .annotate(total=Sum("amount"))
    ):
        realised.setdefault(row["followup"], {})[row["currency"]] = row["total"]
    return {
        f.agreement_id: AgreementProgress(
            stage=f.stage,
            stage_label=f.get_stage_display(),
            milestones=list(f.milestones.all()) if f.publish_stage else [],
            contracted=(
                (f.contracted_amount, f.contracted_currency)
                if f.publish_amounts and f.contracted_amount is not None
                else None
            ),
            realised=realised.get(f.pk, {}) if f.publish_realised else None,
            shows_stage=f.publish_stage,
            shows_amounts=f.publish_amounts,
            shows_realised=f.publish_realised,
        )
        for f in followups
    }


#: What an agreement without a follow-up record shows: signed, nothing more known or hidden.
UNFOLLOWED = AgreementProgress(Stage.SIGNED, Stage.SIGNED.label, [], None, None, True)
