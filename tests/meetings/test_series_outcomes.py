"""The series page says how many of its agreements came out of investor–project meetings."""

import datetime

import pytest

from meetings import services
from tests.factories import AgreementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement_from_a_meeting(slots, investor, project):
    meeting = services.meeting_request(
        requester=investor[1][0], invitee=project[1][0], slot=slots[0]
    )
    services.meeting_accept(meeting=meeting, participation=project[0])
    services.meeting_mark(
        meeting=meeting,
        held=True,
        participation=investor[0],
        now=slots[0].starts_at + datetime.timedelta(minutes=5),
    )
    agreement = AgreementFactory(event=investor[0].event)
    services.meeting_link_agreement(meeting=meeting, agreement=agreement)
    return agreement


@pytest.mark.parametrize(
    ("language", "label", "note"),
    [
        ("en", "Agreements that came out of investor–project meetings", "Of the 2 agreements"),
        ("zh-hans", "来自投资方与项目方洽谈的协议", "在已记录的2项协议中"),
    ],
)
def test_series_page_counts_agreements_from_meetings(
    client, agreement_from_a_meeting, language, label, note
):
    event = agreement_from_a_meeting.event
    AgreementFactory(event=event)  # signed without a meeting
    page = client.get(f"/{language}/series/{event.series.slug}/").text
    before, after = page.split(label)
    assert before.rsplit('<p class="figure-value">', 1)[1].startswith("1</p>")
    assert note in after.split("</div>")[0]


def test_series_without_agreements_from_meetings_says_nothing_of_them(client, investor):
    AgreementFactory(event=investor[0].event)
    page = client.get(f"/en/series/{investor[0].event.series.slug}/").text
    assert "came out of investor–project meetings" not in page
