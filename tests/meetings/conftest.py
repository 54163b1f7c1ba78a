import pytest
from django.utils import translation

from meetings.models import MeetingSlot
from registrations.models import Participation
from tests.factories import (
    DelegateFactory,
    EventFactory,
    MeetingProfileFactory,
    MeetingRoundFactory,
    OrganizationFactory,
    ParticipationFactory,
)


@pytest.fixture(autouse=True)
def _english_between_tests():
    with translation.override("en"):
        yield


def side(event, kind: str, *, name: str, delegates: int = 1, language: str = "en"):
    """An approved registration with a meeting profile and named delegates."""
    participation = ParticipationFactory(
        event=event,
        organization=OrganizationFactory(name_en=name, name_zh_hans=name),
        status=Participation.Status.APPROVED,
        language=language,
    )
    people = [DelegateFactory(participation=participation) for _ in range(delegates)]
    MeetingProfileFactory(participation=participation, side=kind)
    return participation, people


@pytest.fixture
def event(db):
    return EventFactory(title_en="Venture Capital Day", title_zh_hans="创投日")


@pytest.fixture
def meeting_round(event):
    return MeetingRoundFactory(event=event)


@pytest.fixture
def slots(meeting_round):
    return list(MeetingSlot.objects.filter(round=meeting_round).order_by("starts_at"))


@pytest.fixture
def investor(event):
    return side(event, "investor", name="Example Capital")


@pytest.fixture
def project(event):
    return side(event, "project", name="Example Robotics", language="zh-hans")
