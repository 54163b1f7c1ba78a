"""The demo: the real MoU stays at signed; made-up follow-up only in the sample series; the
scale data carries generated follow-up whose pages keep their query counts."""

import pytest
from django.core.management import call_command

from events.models import Agreement
from followup.models import CapitalEntry, FollowUp, Milestone, Stage
from followup.selectors import outcome_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo")


def test_real_mou_stays_at_signed(demo):
    followup = FollowUp.objects.get(reference="VCD2024-MOU-01")
    assert followup.stage == Stage.SIGNED
    assert list(followup.milestones.values_list("stage", flat=True)) == ["signed"]
    assert not followup.entries.exists()
    assert followup.contracted_amount is None
    assert followup.office is None  # the sources name no office


def test_made_up_followup_only_in_the_sample_series(demo, client):
    sample = FollowUp.objects.exclude(reference="VCD2024-MOU-01")
    assert sample.exists()
    assert all(
        f.agreement.event.series.is_sample
        for f in sample.select_related("agreement__event__series")
    )
    assert CapitalEntry.objects.filter(verified_at__isnull=False).count() == 4
    page = client.get("/en/events/sample-past-edition/").text
    assert "follow-up data are made up" in page
    outcomes = outcome_rates(
        agreements=Agreement.objects.filter(event__slug="sample-past-edition"), public=True
    )
    assert outcomes.realised == {"CNY": 1500000000, "USD": 40000000}


def test_load_demo_twice_changes_nothing(demo):
    counts = (FollowUp.objects.count(), Milestone.objects.count(), CapitalEntry.objects.count())
    call_command("load_demo")
    assert (
        FollowUp.objects.count(),
        Milestone.objects.count(),
        CapitalEntry.objects.count(),
    ) == counts


def test_scale_data_has_generated_followup():
    call_command(
        "generate_scale_data",
        institutions=30,
        editions=3,
        sessions=3,
        participations=30,
        agreements=40,
    )
    assert FollowUp.objects.filter(reference__startswith="SCALE-").count() == 40
    call_command(
        "generate_scale_data",
        institutions=30,
        editions=3,
        sessions=3,
        participations=30,
        agreements=20,
    )
    assert FollowUp.objects.filter(reference__startswith="SCALE-").count() == 20
