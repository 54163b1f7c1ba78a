"""The same badge at two entrances of one list at the same instant, against PostgreSQL.

SQLite takes one writer at a time and ignores SELECT ... FOR UPDATE, so this proves nothing
there; it runs when DATABASE_URL points at PostgreSQL.
"""

from collections import Counter

import pytest
from django.db import connection

from checkin.models import Scan
from tests.registrations.test_concurrency import run_at_once

from .conftest import code_for, scan

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT ... FOR UPDATE) need PostgreSQL; set DATABASE_URL",
    ),
]


def test_same_badge_at_two_entrances_at_once_is_admitted_exactly_once(north, south, delegate):
    code = code_for(delegate)
    for _round in range(10):
        Scan.objects.all().delete()
        answers = []

        def attempt(index, answers=answers):
            answers.append(scan([north, south][index % 2], code, device=f"door-{index}").reason)

        assert run_at_once(attempt, 2) == []
        assert Counter(answers) == {"admitted": 1, "already_admitted": 1}


def test_many_scanners_at_once_admit_once_and_each_nonce_once(north, south, delegate):
    code = code_for(delegate)
    answers = []

    def attempt(index):
        # Every scan sent twice, as a queue resending after a lost answer would.
        for _ in range(2):
            answers.append(scan([north, south][index % 2], code, nonce=f"n-{index}").reason)

    assert run_at_once(attempt, 16) == []
    assert Scan.objects.filter(reason="admitted").count() == 1
    assert Scan.objects.count() == 16
    assert Counter(answers)["admitted"] == 2
