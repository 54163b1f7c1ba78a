import datetime

import pytest

from tests.factories import AgreementFactory, EventFactory

SIGNED = datetime.date(2024, 5, 22)
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def edition():
    return EventFactory(start_date=SIGNED, end_date=SIGNED, slug="vc-day-2024")


@pytest.fixture
def agreement(edition):
    return AgreementFactory(event=edition, signed_on=SIGNED, amount_yuan=10**9)
