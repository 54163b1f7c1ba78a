"""Spreadsheet updates from the offices: preview first, per-row errors, all or nothing, and an
officer may only update the agreements of their own office."""

import datetime
import io
import re

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from followup.models import CapitalEntry, FollowUp, Milestone, Stage
from tests.factories import FollowUpFactory, OfficeFactory

from .conftest import SIGNED

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:followup_followup_import")
PROCESS_URL = reverse("admin:followup_followup_process_import")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
STAGES, LEDGER = "0", "1"


def _csv(header: str, *lines: str) -> io.BytesIO:
    data = io.BytesIO("\n".join([header, *lines]).encode())
    data.name = "updates.csv"
    return data


def _xlsx(header: list, rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "updates.xlsx"
    return data


def _preview(client, upload, resource, file_format=CSV_FORMAT):
    return client.post(
        IMPORT_URL, {"import_file": upload, "format": file_format, "resource": resource}
    )


def _confirm(client, preview, resource):
    fields = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format)" value="([^"]*)"', preview.text
        )
    )
    assert fields, "the preview offers no confirmation"
    return client.post(PROCESS_URL, {**fields, "resource": resource}, follow=True)


@pytest.fixture
def followups(edition):
    return [
        FollowUpFactory(reference=f"FT-{n}", agreement__event=edition, agreement__signed_on=SIGNED)
        for n in (1, 2)
    ]


def test_stage_changes_preview_then_apply(admin_client, followups):
    upload = _csv(
        "reference,stage,date,reason",
        "FT-1,company_registered,2024-07-01,",
        "FT-1,Construction or operation started,2024-09-01,",
        "FT-2,项目公司已注册,2024-08-01,",
    )
    preview = _preview(admin_client, upload, STAGES)
    assert preview.status_code == 200
    assert 'name="import_file_name"' in preview.text  # confirmation offered
    assert FollowUp.objects.filter(stage=Stage.SIGNED).count() == 2  # preview writes nothing
    _confirm(admin_client, preview, STAGES)
    first, second = (FollowUp.objects.get(reference=r) for r in ("FT-1", "FT-2"))
    assert (first.stage, first.company_registered_on) == (
        Stage.CONSTRUCTION_STARTED,
        datetime.date(2024, 7, 1),
    )
    assert second.stage == Stage.COMPANY_REGISTERED
    assert Milestone.objects.filter(followup=first).count() == 2


def test_ledger_rows_from_xlsx_are_recorded_unverified(admin_client, followups):
    upload = _xlsx(
        ["reference", "amount", "currency", "date", "kind", "note"],
        [
            ["FT-1", 3000000, "CNY", datetime.date(2025, 1, 2), "equity", "first tranche"],
            ["FT-2", 500000, "USD", datetime.date(2025, 2, 3), "Loan", ""],
        ],
    )
    _confirm(admin_client, _preview(admin_client, upload, LEDGER, XLSX_FORMAT), LEDGER)
    entries = {e.followup.reference: e for e in CapitalEntry.objects.select_related("followup")}
    assert entries["FT-1"].amount == 3000000
    assert (entries["FT-2"].currency, entries["FT-2"].kind) == ("USD", "loan")
    assert all(e.verified_at is None for e in entries.values())


def test_bad_rows_are_each_reported_and_nothing_is_written(admin_client, followups):
    upload = _csv(
        "reference,stage,date,reason",
        "FT-1,company_registered,2024-07-01,",
        "NOPE-9,company_registered,2024-07-01,",
        "FT-2,terminated,2024-07-01,",
        "FT-2,spaceship,2024-07-01,",
        "FT-1,signed,2024-07-02,",
    )
    preview = _preview(admin_client, upload, STAGES)
    assert preview.status_code == 200
    text = preview.text
    assert "No agreement you follow up has the reference “NOPE-9”" in text
    assert "Give the reason for a suspension or termination." in text
    assert "Unknown value “spaceship”" in text
    assert "progress only goes forward" in text
    assert 'name="import_file_name"' not in text  # no confirmation offered
    assert not FollowUp.objects.exclude(stage=Stage.SIGNED).exists()
    assert Milestone.objects.count() == 0


def test_unknown_columns_are_refused(admin_client, followups):
    preview = _preview(
        admin_client, _csv("reference,stage,date,colour", "FT-1,x,2024-01-01,red"), STAGES
    )
    assert "The columns must be" in preview.text
    assert Milestone.objects.count() == 0


def test_officer_cannot_import_into_another_office(client, django_user_model, followups, edition):
    officer = django_user_model.objects.create_user("officer", is_staff=True)
    officer.groups.add(Group.objects.get(name="Follow-up officers"))
    office = OfficeFactory()
    office.members.add(officer)
    mine = FollowUpFactory(
        reference="MINE-1", office=office, agreement__event=edition, agreement__signed_on=SIGNED
    )
    client.force_login(officer)
    upload = _csv(
        "reference,amount,currency,date,kind,note",
        "MINE-1,100,CNY,2025-01-01,equity,",
        "FT-1,100,CNY,2025-01-01,equity,",
    )
    preview = _preview(client, upload, LEDGER)
    assert preview.status_code == 200
    assert "No agreement you follow up has the reference “FT-1”" in preview.text
    assert 'name="import_file_name"' not in preview.text
    assert not CapitalEntry.objects.exists()
    upload = _csv("reference,amount,currency,date,kind,note", "MINE-1,100,CNY,2025-01-01,equity,")
    _confirm(client, _preview(client, upload, LEDGER), LEDGER)
    assert CapitalEntry.objects.get().followup == mine
