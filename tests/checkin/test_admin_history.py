"""Who changed a check-in list or its entrances, and when: the admin keeps their history."""

import pytest
from django.urls import reverse

from checkin.models import CheckinList
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def test_a_change_to_a_list_and_its_entrances_is_recorded_with_who(
    admin_client, admin_user, main_list, north
):
    url = reverse("admin:checkin_checkinlist_change", args=[main_list.pk])
    data = form_data(admin_client.get(url).text, "checkinlist_form")
    data.update(name=["Main hall, morning"])
    entrance_name = next(key for key in data if key.endswith("-0-name"))
    data[entrance_name] = ["North door (VIP)"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text[:2000]

    latest = CheckinList.history.filter(id=main_list.pk).first()
    assert (latest.name, latest.history_user) == ("Main hall, morning", admin_user)
    assert north.history.first().name == "North door (VIP)"
    page = admin_client.get(reverse("admin:checkin_checkinlist_history", args=[main_list.pk]))
    assert page.status_code == 200
    assert admin_user.username in page.text
