"""The sample edition of load_demo: two made-up registrants find each other, meet at a table,
and staff generate and publish a schedule. The real seed edition gets no meetings."""

import pytest
from django.core.management import call_command

from devdata.demo import SAMPLE_SLUG
from events.models import Event
from meetings import selectors, services
from meetings.models import Meeting, MeetingProfile, MeetingRound

pytestmark = pytest.mark.django_db


def test_sample_edition_has_meetings_and_a_schedule_can_be_published():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    sample = Event.objects.get(slug=SAMPLE_SLUG)
    assert sample.series.is_sample
    assert not MeetingRound.objects.exclude(event=sample).exists()
    assert not Meeting.objects.exclude(event=sample).exists()

    investor = MeetingProfile.objects.get(side="investor").participation
    found = selectors.profiles_to_browse(participation=investor, side="project", sector="biotech")
    assert [p.participation.organization.slug for p in found] == ["sample-biotech"]

    [confirmed] = selectors.agenda(participation=investor)
    assert confirmed.table.number == 1

    run = services.schedule_generate(event=sample)
    assert run.report["must_meet_placed"] == 1
    assert services.schedule_publish(event=sample) == 1
    assert len(selectors.agenda(participation=investor)) == 2
