"""Control characters: refused at the public form and the institution import; an export stays
readable with any already stored."""

import io

import openpyxl
import pytest

from organizations.models import Organization
from registrations.models import Participation
from tests.common.test_export import _export
from tests.factories import EventFactory, ParticipationFactory
from tests.organizations.test_import import _csv, _preview

from .test_views import form_data, url

pytestmark = pytest.mark.django_db

CONTROLS = ["\x01", "\x08", "\x0b", "\x1b", "\x1f", "\x7f", "\x85", "\t", "\n"]


@pytest.mark.parametrize("char", CONTROLS)
@pytest.mark.parametrize(
    "field", ["institution_name", "city", "contact_name", "contact_position", "contact_phone"]
)
def test_registration_form_refuses_control_characters(client, event, field, char):
    value = form_data()[field]
    response = client.post(url(event), form_data(**{field: value[:3] + char + value[3:]}))
    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    assert not Participation.objects.exists()


def test_registration_form_still_accepts_chinese_and_punctuation(client, event):
    response = client.post(
        url(event), form_data(institution_name="深圳·创新投资（集团）有限公司", city="深圳")
    )
    assert response.status_code == 302


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x0c"])
def test_institution_import_refuses_control_characters(admin_client, char):
    preview = _preview(admin_client, _csv(f"Alpha{char}Capital,,vc_firm,,Shenzhen"))
    assert "invisible control character" in preview.text
    assert 'name="import_file_name"' not in preview.text
    assert not Organization.objects.exists()


def test_xlsx_export_survives_control_characters_already_stored(admin_client):
    event = EventFactory()
    ParticipationFactory(
        event=event, contact_name="Li\x01Lei\x1b", organization__name_en="Bad\x0bName"
    )
    response = _export(
        admin_client, "registrations_participation", "xlsx", f"?event__id__exact={event.pk}"
    )
    assert response.status_code == 200
    cells = [
        cell
        for row in openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(
            values_only=True
        )
        for cell in row
    ]
    assert "Li\ufffdLei\ufffd" in cells
    assert "Bad\ufffdName" in cells
