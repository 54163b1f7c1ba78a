"""Exporting an edition's registrations and the agreements from the admin."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from registrations.models import Participation
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    EventFactory,
    ParticipationFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def _export(client, model: str, file_format: str, query: str = ""):
    url = reverse(f"admin:{model}_export") + query
    form = client.get(url).text
    selected = dict.fromkeys(re.findall(r'name="(\w+resource_\w+)"', form), "on")
    formats = {
        label.strip().lower(): value
        for value, label in re.findall(r'<option value="(\d+)"[^>]*>\s*(\w+)\s*</option>', form)
    }
    return client.post(url, {"format": formats[file_format], "resource": 0, **selected})


@pytest.fixture
def edition():
    event = EventFactory(title_en="Edition A")
    venue = VenueFactory(event=event, name_en="AI sub-venue")
    approved = ParticipationFactory(
        event=event,
        organization__name_en="Alpha Capital",
        contact_email="alpha@example.com",
        delegates=3,
        status=Participation.Status.APPROVED,
    )
    approved.venues.add(venue)
    ParticipationFactory(event=event, organization__name_en="Beta Fund")
    ParticipationFactory(organization__name_en="Other Edition Capital")
    return event


def test_export_of_an_editions_registrations_as_csv(admin_client, edition):
    response = _export(
        admin_client, "registrations_participation", "csv", f"?event__id__exact={edition.pk}"
    )
    text = response.content.decode("utf-8-sig")
    header, *rows = text.strip().splitlines()
    assert header.startswith("edition,institution,uscc,contact_name")
    assert len(rows) == 2
    alpha = next(row for row in rows if "Alpha Capital" in row)
    assert "alpha@example.com" in alpha
    assert ",3," in alpha
    assert "AI sub-venue" in alpha
    assert "Approved" in alpha
    assert "Other Edition Capital" not in text


def test_export_of_registrations_as_xlsx(admin_client, edition):
    response = _export(
        admin_client, "registrations_participation", "xlsx", f"?event__id__exact={edition.pk}"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("edition", "institution")
    assert {row[1] for row in rows[1:]} == {"Alpha Capital", "Beta Fund"}


def test_export_of_agreements_lists_parties_with_roles_and_amounts(admin_client):
    agreement = AgreementFactory(title_en="Fund pact", amount_yuan="2500000000.00")
    AgreementPartyFactory(agreement=agreement, organization__name_en="Luohu")
    AgreementPartyFactory(agreement=agreement, organization__name_en="Gamma Fund")
    text = _export(admin_client, "events_agreement", "csv").content.decode("utf-8-sig")
    assert "Fund pact" in text
    assert "2500000000.00" in text
    assert "Luohu (Signatory); Gamma Fund (Signatory)" in text


def test_export_labels_are_in_the_staff_members_language(admin_client, edition):
    with translation.override("zh-hans"):
        approved = str(Participation.Status.APPROVED.label)
    assert approved != "Approved", "the Chinese catalogue lacks this label"
    response = _export(
        admin_client, "registrations_participation", "csv", f"?event__id__exact={edition.pk}"
    )
    assert "Approved" in response.content.decode("utf-8-sig")
    admin_client.cookies["django_language"] = "zh-hans"
    response = _export(
        admin_client, "registrations_participation", "csv", f"?event__id__exact={edition.pk}"
    )
    assert approved in response.content.decode("utf-8-sig")


def test_csv_export_opens_in_excel_and_is_named_after_its_contents(admin_client, edition):
    response = _export(
        admin_client, "registrations_participation", "csv", f"?event__id__exact={edition.pk}"
    )
    assert response.content.startswith("\ufeff".encode())  # UTF-8 byte-order mark
    assert re.search(
        r'filename="registrations-\d{4}-\d\d-\d\d\.csv"', response["Content-Disposition"]
    )


def test_export_neutralises_formulas_typed_by_registrants(admin_client):
    event = EventFactory()
    ParticipationFactory(event=event, contact_name='=HYPERLINK("http://evil.example","x")')
    text = _export(
        admin_client, "registrations_participation", "csv", f"?event__id__exact={event.pk}"
    )
    assert "'=HYPERLINK" in text.content.decode("utf-8-sig")


FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    "＝1+1",
]


def _cells(response, file_format: str) -> list:
    if file_format == "csv":
        import csv

        return [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
                for cell in row]  # fmt: skip
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("formula", FORMULAS)
def test_every_export_keeps_formulas_as_text(admin_client, formula, file_format):
    event = EventFactory(title_en="Edition F")
    organization = ParticipationFactory(
        event=event, contact_name=formula, organization__name_en=formula
    ).organization
    AgreementFactory(event=event, title_en=formula, purpose_en=formula).party_roles.create(
        organization=organization
    )
    exports = {
        "registrations_participation": f"?event__id__exact={event.pk}",
        "events_agreement": "",
        "organizations_organization": "",
    }
    if file_format == "xlsx":
        formula = formula.replace("\r", "\n")  # XML keeps no carriage return
    for model, query in exports.items():
        cells = _cells(_export(admin_client, model, file_format, query), file_format)
        assert "'" + formula in cells, (model, cells)
        assert formula not in cells, model


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_keeps_numbers_and_harmless_text_as_they_are(admin_client, file_format):
    event = EventFactory()
    ParticipationFactory(
        event=event, contact_name="Li - Partner", contact_phone="138 0000 0000", delegates=3
    )
    cells = _cells(
        _export(
            admin_client,
            "registrations_participation",
            file_format,
            f"?event__id__exact={event.pk}",
        ),
        file_format,
    )
    assert "Li - Partner" in cells
    assert "138 0000 0000" in cells
    assert "3" in cells
