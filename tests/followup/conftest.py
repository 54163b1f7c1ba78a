import datetime
from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import AgreementFactory, EventFactory

SIGNED = datetime.date(2024, 5, 22)


@pytest.fixture(autouse=True)
def _follow_up_roles(db):
    """The groups followup's data migrations create: a transactional test that ran before
    (they flush the database when they end) may have removed them."""
    if Group.objects.filter(name="Follow-up officers").exists():
        return
    apps = MigrationExecutor(connection).loader.project_state().apps
    for name in ("0002_roles", "0004_managers_headline_figures", "0006_managers_withdraw_stages"):
        for operation in import_module(f"followup.migrations.{name}").Migration.operations:
            operation.code(apps, None)


TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def edition():
    return EventFactory(start_date=SIGNED, end_date=SIGNED, slug="vc-day-2024")


@pytest.fixture
def agreement(edition):
    return AgreementFactory(event=edition, signed_on=SIGNED, amount_yuan=10**9)
