"""Simultaneous requests and acceptances from real threads, each with its own connection.

On PostgreSQL the services' row locks serialize them and the constraints stand behind; SQLite
takes one writer at a time, so these run where DATABASE_URL points at PostgreSQL.
"""

from collections import Counter

import pytest
from django.db import connection

from meetings import services
from meetings.models import Meeting, MeetingSeat
from tests.registrations.test_concurrency import run_at_once

from .conftest import side

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; set DATABASE_URL",
    ),
]

ATTEMPTS = 20


def test_twenty_requests_for_one_delegate_and_slot_give_at_most_one_meeting(event, slots):
    project = side(event, "project", name="Wanted Robotics")
    investors = [side(event, "investor", name=f"Capital {index}") for index in range(ATTEMPTS)]
    answers = []

    def attempt(index):
        try:
            services.meeting_request(
                requester=investors[index][1][0], invitee=project[1][0], slot=slots[0]
            )
            answers.append("requested")
        except services.MeetingError as error:
            answers.append(str(error))

    assert run_at_once(attempt, ATTEMPTS) == []
    assert Counter(answers)["requested"] == 1
    assert all("no longer free" in answer for answer in answers if answer != "requested")
    pending = Meeting.objects.get(status=Meeting.Status.PENDING)
    services.meeting_accept(meeting=pending, participation=project[0])
    assert Meeting.objects.filter(status=Meeting.Status.ACCEPTED).count() == 1
    assert MeetingSeat.objects.filter(delegate=project[1][0], slot=slots[0]).count() == 1


def test_twenty_acceptances_of_requests_to_one_delegate_give_one_meeting(event, slots):
    # Requests to one project's delegates in one slot, accepted at once: each delegate
    # answers its own; the slot's two tables go to the first two.
    meetings = []
    for index in range(ATTEMPTS):
        investor = side(event, "investor", name=f"Capital {index}")
        project = side(event, "project", name=f"Robotics {index}")
        meetings.append(
            (
                services.meeting_request(
                    requester=investor[1][0], invitee=project[1][0], slot=slots[0]
                ),
                project[0],
            )
        )
    answers = []

    def attempt(index):
        meeting, participation = meetings[index]
        try:
            services.meeting_accept(meeting=meeting, participation=participation)
            answers.append("accepted")
        except services.MeetingError as error:
            answers.append(str(error))

    assert run_at_once(attempt, ATTEMPTS) == []
    assert Counter(answers)["accepted"] == 2  # two tables
    assert all("Every table of this slot is taken" in a for a in answers if a != "accepted")
    tables = Meeting.objects.filter(status="accepted").values_list("table__number", flat=True)
    assert sorted(tables) == [1, 2]


def test_two_acceptances_for_the_last_table_one_wins(event, meeting_round, slots):
    meeting_round.tables = 1
    meeting_round.save()
    services.round_generate(meeting_round=meeting_round)
    pairs = []
    for index in range(2):
        investor = side(event, "investor", name=f"Capital {index}")
        project = side(event, "project", name=f"Robotics {index}")
        pairs.append(
            (
                services.meeting_request(
                    requester=investor[1][0], invitee=project[1][0], slot=slots[1]
                ),
                project[0],
            )
        )
    for _round in range(5):
        Meeting.objects.filter(status="accepted").update(status="pending", table=None)
        answers = []

        def attempt(index, answers=answers):
            meeting, participation = pairs[index]
            try:
                services.meeting_accept(meeting=meeting, participation=participation)
                answers.append("accepted")
            except services.MeetingError as error:
                answers.append(str(error))

        assert run_at_once(attempt, 2) == []
        assert answers.count("accepted") == 1
        refused = next(answer for answer in answers if answer != "accepted")
        assert "Every table of this slot is taken" in refused
        assert Meeting.objects.filter(status="accepted").count() == 1
