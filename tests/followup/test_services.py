"""The follow-up rules: stages go forward, an end needs a reason, capital needs evidence."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from followup.models import CapitalEntry, FollowUp, Milestone, Stage
from followup.selectors import followup_realised
from followup.services import (
    capital_entry_record,
    capital_entry_verify,
    followup_assign,
    followup_open,
    followup_stage_change,
    followup_stage_withdraw,
)
from tests.factories import CapitalEntryFactory, FollowUpFactory, OfficeFactory

from .conftest import SIGNED, TODAY

pytestmark = pytest.mark.django_db


def _day(n: int) -> datetime.date:
    return SIGNED + datetime.timedelta(days=n)


def test_open_starts_at_signed_with_the_signature_as_milestone(agreement):
    followup = followup_open(agreement=agreement)
    assert followup.reference == f"AG-{agreement.pk:05d}"
    assert (followup.stage, followup.stage_on) == (Stage.SIGNED, SIGNED)
    assert list(followup.milestones.values_list("stage", "reached_on")) == [("signed", SIGNED)]


def test_stage_change_moves_forward_and_dates_the_stage(agreement):
    followup = followup_open(agreement=agreement)
    followup_stage_change(
        followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(30), today=TODAY
    )
    followup_stage_change(followup=followup, stage=Stage.OPERATING, on=_day(90), today=TODAY)
    followup.refresh_from_db()
    assert followup.stage == Stage.OPERATING
    assert followup.company_registered_on == _day(30)
    assert followup.operating_on == _day(90)
    assert followup.construction_started_on is None  # a skipped stage gets no invented date
    assert followup.milestones.count() == 3


def test_stage_change_refuses_going_back(agreement):
    followup = followup_open(agreement=agreement)
    followup_stage_change(
        followup=followup, stage=Stage.CONSTRUCTION_STARTED, on=_day(30), today=TODAY
    )
    with pytest.raises(ValidationError, match="progress only goes forward"):
        followup_stage_change(
            followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(40), today=TODAY
        )
    followup.refresh_from_db()
    assert followup.stage == Stage.CONSTRUCTION_STARTED


def test_suspension_needs_a_reason_and_may_resume(agreement):
    followup = followup_open(agreement=agreement)
    with pytest.raises(ValidationError, match="reason"):
        followup_stage_change(followup=followup, stage=Stage.SUSPENDED, on=_day(5), today=TODAY)
    followup_stage_change(
        followup=followup, stage=Stage.SUSPENDED, on=_day(5), reason="Land not ready", today=TODAY
    )
    followup_stage_change(
        followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(50), today=TODAY
    )
    followup.refresh_from_db()
    assert followup.stage == Stage.COMPANY_REGISTERED
    assert Milestone.objects.get(stage=Stage.SUSPENDED).reason == "Land not ready"


def test_withdrawing_the_last_stage_restores_the_stage_and_dates_before_it(agreement):
    followup = followup_open(agreement=agreement)
    followup_stage_change(
        followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(30), today=TODAY
    )
    followup_stage_change(followup=followup, stage=Stage.CAPITAL_PARTLY, on=_day(60), today=TODAY)
    user = get_user_model().objects.create_user("manager")
    withdrawn = followup_stage_withdraw(followup=followup, reason="Typed the wrong row", by=user)
    followup.refresh_from_db()
    assert (followup.stage, followup.stage_on) == (Stage.COMPANY_REGISTERED, _day(30))
    assert followup.capital_partly_on is None
    assert followup.company_registered_on == _day(30)
    assert (withdrawn.stage, withdrawn.withdrawn_by) == (Stage.CAPITAL_PARTLY, user)
    assert withdrawn.withdrawal_reason == "Typed the wrong row"
    assert followup.milestones.count() == 3  # kept, marked withdrawn
    # Progress may now be entered again, on another date.
    followup_stage_change(followup=followup, stage=Stage.CAPITAL_PARTLY, on=_day(70), today=TODAY)
    followup.refresh_from_db()
    assert followup.capital_partly_on == _day(70)


def test_a_termination_by_mistake_can_be_withdrawn(agreement):
    followup = followup_open(agreement=agreement)
    followup_stage_change(
        followup=followup, stage=Stage.TERMINATED, on=_day(5), reason="Investor left", today=TODAY
    )
    followup_stage_withdraw(followup=followup, reason="Wrong agreement")
    followup.refresh_from_db()
    assert (followup.stage, followup.stage_on) == (Stage.SIGNED, SIGNED)
    followup_stage_change(
        followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(9), today=TODAY
    )


def test_withdrawal_needs_a_reason_and_never_withdraws_the_signature(agreement):
    followup = followup_open(agreement=agreement)
    followup_stage_change(
        followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(30), today=TODAY
    )
    with pytest.raises(ValidationError, match="Say why"):
        followup_stage_withdraw(followup=followup, reason="  ")
    followup_stage_withdraw(followup=followup, reason="Mistake")
    with pytest.raises(ValidationError, match="No stage after the signature"):
        followup_stage_withdraw(followup=followup, reason="Mistake")
    followup.refresh_from_db()
    assert followup.stage == Stage.SIGNED
    assert followup.milestones.standing().get().stage == Stage.SIGNED


def test_terminated_stays_terminated(agreement):
    followup = followup_open(agreement=agreement)
    followup_stage_change(
        followup=followup, stage=Stage.TERMINATED, on=_day(5), reason="Investor left", today=TODAY
    )
    with pytest.raises(ValidationError, match="stays terminated"):
        followup_stage_change(
            followup=followup, stage=Stage.COMPANY_REGISTERED, on=_day(9), today=TODAY
        )


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "future"),
        (SIGNED - datetime.timedelta(days=1), "before the signature"),
    ],
)
def test_stage_dates_lie_between_signature_and_today(agreement, on, message):
    followup = followup_open(agreement=agreement)
    with pytest.raises(ValidationError, match=message):
        followup_stage_change(followup=followup, stage=Stage.COMPANY_REGISTERED, on=on, today=TODAY)
    assert FollowUp.objects.get().stage == Stage.SIGNED


def test_project_company_uscc_is_validated(agreement):
    followup = FollowUpFactory(agreement=agreement, project_company_uscc="91440300MA5DC12342")
    with pytest.raises(ValidationError, match="check character"):
        followup.full_clean()
    followup.project_company_uscc = "91440300MA5DC12341"
    followup.full_clean()


def test_assign_needs_an_officer_of_the_office():
    followup = FollowUpFactory()
    office = OfficeFactory()
    officer = get_user_model().objects.create_user("officer")
    with pytest.raises(ValidationError, match="member"):
        followup_assign(followup=followup, office=office, case_officer=officer)
    office.members.add(officer)
    followup_assign(followup=followup, office=office, case_officer=officer, next_follow_up_on=TODAY)
    followup.refresh_from_db()
    assert (followup.office, followup.case_officer, followup.next_follow_up_on) == (
        office,
        officer,
        TODAY,
    )


def test_ledger_counts_only_verified_entries_and_keeps_currencies_apart():
    followup = FollowUpFactory()
    user = get_user_model().objects.create_user("verifier")
    entry = capital_entry_record(
        followup=followup,
        amount=Decimal("5000000"),
        currency="CNY",
        received_on=datetime.date(2025, 3, 1),
        kind="equity",
        evidence=ContentFile(b"%PDF", name="bank.pdf"),
        today=TODAY,
    )
    CapitalEntryFactory(followup=followup, amount=Decimal(200), currency="USD")
    assert followup_realised(followup=followup) == {}  # nothing verified yet
    capital_entry_verify(entry=entry, by=user)
    for other in CapitalEntry.objects.exclude(pk=entry.pk):
        capital_entry_verify(entry=other, by=user)
    assert followup_realised(followup=followup) == {"CNY": Decimal(5000000), "USD": Decimal(200)}
    entry.refresh_from_db()
    assert entry.verified_by == user


def test_an_entry_without_evidence_cannot_be_verified():
    entry = CapitalEntryFactory(evidence="")
    with pytest.raises(ValidationError, match="evidence"):
        capital_entry_verify(entry=entry, by=None)
    entry.refresh_from_db()
    assert entry.verified_at is None


def test_evidence_is_stored_outside_media_root(settings):
    entry = CapitalEntryFactory()
    path = entry.evidence.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT.resolve()))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError, match="no public address"):
        entry.evidence.url  # noqa: B018
