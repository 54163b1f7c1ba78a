"""The outcome rates: definitions at their boundaries, currencies apart, constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Agreement
from followup.models import FollowUp, Stage
from followup.selectors import outcome_rates
from followup.services import capital_entry_verify, followup_stage_change
from tests.factories import AgreementFactory, CapitalEntryFactory, FollowUpFactory

from .conftest import SIGNED, TODAY

pytestmark = pytest.mark.django_db


def _followup(edition, *, stage=None, reason="", **kwargs):
    followup = FollowUpFactory(
        agreement=AgreementFactory(
            event=edition,
            signed_on=SIGNED,
            **{"kind": Agreement.Kind.INVESTMENT, **kwargs.pop("agreement", {})},
        ),
        publish_stage=True,
        publish_amounts=True,
        publish_realised=True,
        **kwargs,
    )
    if stage:
        followup_stage_change(
            followup=followup, stage=stage, on=SIGNED + datetime.timedelta(days=10), reason=reason,
            today=TODAY,
        )  # fmt: skip
    return followup


def _verified(followup, amount, currency="CNY"):
    entry = CapitalEntryFactory(followup=followup, amount=Decimal(amount), currency=currency)
    capital_entry_verify(entry=entry, by=None)
    return entry


def _counts(outcomes):
    return {rate.key: (rate.count, rate.of) for rate in outcomes.rates}


def test_no_agreements_gives_no_rates(edition):
    outcomes = outcome_rates(agreements=Agreement.objects.filter(event=edition), public=True)
    assert outcomes.agreements == 0
    assert all(rate.percent is None for rate in outcomes.rates)  # nothing to divide by, not 0 %
    assert outcomes.announced_yuan is None
    assert (outcomes.contracted, outcomes.realised) == ({}, {})


def test_agreement_without_followup_counts_as_signed(agreement, edition):
    outcomes = outcome_rates(agreements=Agreement.objects.filter(event=edition), public=True)
    assert _counts(outcomes)["landed"] == (0, 1)
    assert outcomes.announced_yuan == 10**9


def test_all_terminated_stay_in_the_denominator(edition):
    for _ in range(3):
        _followup(edition, stage=Stage.TERMINATED, reason="Cancelled")
    counts = _counts(outcome_rates(agreements=Agreement.objects.all(), public=True))
    assert counts["terminated"] == (3, 3)
    assert counts["performance"] == (0, 3)
    assert counts["landed"] == (0, 3)


def test_rates_follow_their_definitions(edition):
    _followup(edition)  # signed
    _followup(edition, stage=Stage.COMPANY_REGISTERED)
    started = _followup(edition, stage=Stage.CONSTRUCTION_STARTED)
    _verified(started, 100)
    suspended = _followup(edition, stage=Stage.COMPANY_REGISTERED)
    followup_stage_change(
        followup=suspended, stage=Stage.SUSPENDED, on=TODAY, reason="Paused", today=TODAY
    )
    mou = _followup(edition, agreement={"kind": Agreement.Kind.MOU})
    _verified(mou, 5)
    unverified = _followup(edition, agreement={"kind": Agreement.Kind.INVESTMENT})
    CapitalEntryFactory(followup=unverified)  # not verified: not in place
    counts = _counts(outcome_rates(agreements=Agreement.objects.all(), public=True))
    assert counts["performance"] == (2, 6)  # registered, started; not the suspended one
    assert counts["landed"] == (3, 6)  # the suspended one had landed
    assert counts["started"] == (1, 6)
    assert counts["capital"] == (2, 6)
    assert counts["mou_conversion"] == (1, 1)


def test_amounts_in_two_currencies_are_never_added(edition):
    cny = _followup(edition, contracted_amount=Decimal(1000), contracted_currency="CNY")
    usd = _followup(edition, contracted_amount=Decimal(100), contracted_currency="USD")
    _verified(cny, 400)
    _verified(usd, 30, "USD")
    _verified(usd, 20, "CNY")  # paid in yuan on a dollar contract: stays yuan
    outcomes = outcome_rates(agreements=Agreement.objects.all(), public=True)
    assert outcomes.contracted == {"CNY": Decimal(1000), "USD": Decimal(100)}
    assert outcomes.realised == {"CNY": Decimal(420), "USD": Decimal(30)}
    assert outcomes.currencies == ["CNY", "USD"]


def _shares(outcomes):
    return {
        share.currency: (share.in_place, share.contracted, share.agreements, share.percent)
        for share in outcomes.capital_shares
    }


def test_capital_share_by_amount_is_per_contract_currency(edition):
    cny = _followup(edition, contracted_amount=Decimal(1000), contracted_currency="CNY")
    usd = _followup(edition, contracted_amount=Decimal(100), contracted_currency="USD")
    _followup(edition, contracted_amount=Decimal(3000), contracted_currency="CNY")  # none in place
    _verified(cny, 400)
    _verified(usd, 30, "USD")
    _verified(usd, 20, "CNY")  # yuan on a dollar contract: not counted against the contract
    unverified = CapitalEntryFactory(followup=cny, amount=Decimal(500), currency="CNY")
    assert unverified.verified_at is None
    outcomes = outcome_rates(agreements=Agreement.objects.all(), public=True)
    assert _shares(outcomes) == {
        "CNY": (Decimal(400), Decimal(4000), 2, Decimal("10.0")),
        "USD": (Decimal(30), Decimal(100), 1, Decimal("30.0")),
    }
    assert [share.currency for share in outcomes.capital_shares] == ["CNY", "USD"]


def test_capital_share_counts_only_agreements_publishing_amounts_and_capital(edition):
    both = _followup(edition, contracted_amount=Decimal(100))
    no_capital = _followup(edition, contracted_amount=Decimal(900))
    FollowUp.objects.filter(pk=no_capital.pk).update(publish_realised=False)
    no_amounts = _followup(edition, contracted_amount=Decimal(700))
    FollowUp.objects.filter(pk=no_amounts.pk).update(publish_amounts=False)
    for followup in (both, no_capital, no_amounts):
        _verified(followup, 50)
    _followup(edition)  # no contracted amount: nothing to weigh against
    public = outcome_rates(agreements=Agreement.objects.all(), public=True)
    staff = outcome_rates(agreements=Agreement.objects.all(), public=False)
    assert _shares(public) == {"CNY": (Decimal(50), Decimal(100), 1, Decimal("50.0"))}
    assert _shares(staff) == {"CNY": (Decimal(150), Decimal(1700), 3, Decimal("8.8"))}


def test_no_contracted_amount_gives_no_capital_share(edition):
    _verified(_followup(edition), 10)
    assert outcome_rates(agreements=Agreement.objects.all(), public=True).capital_shares == []


def test_public_rates_leave_out_what_is_not_published(edition):
    hidden = _followup(edition, stage=Stage.COMPANY_REGISTERED, contracted_amount=Decimal(9))
    FollowUp.objects.filter(pk=hidden.pk).update(
        publish_stage=False, publish_amounts=False, publish_realised=False
    )
    _verified(hidden, 7)
    _followup(edition)
    public = outcome_rates(agreements=Agreement.objects.all(), public=True)
    staff = outcome_rates(agreements=Agreement.objects.all(), public=False)
    assert (public.agreements, public.counted, public.not_counted) == (2, 1, 1)
    assert _counts(public)["landed"] == (0, 1)
    assert (public.contracted, public.realised) == ({}, {})
    assert _counts(staff)["landed"] == (1, 2)
    assert staff.realised == {"CNY": Decimal(7)}


@pytest.mark.parametrize("size", [1, 12])
def test_rates_take_two_queries_whatever_the_number(edition, size):
    for index in range(size):
        followup = _followup(edition, stage=Stage.COMPANY_REGISTERED)
        _verified(followup, 10 + index, "USD" if index % 2 else "CNY")
    with CaptureQueriesContext(connection) as queries:
        outcomes = outcome_rates(agreements=Agreement.objects.filter(event=edition), public=True)
    assert outcomes.counted == size
    assert len(queries) == 2
