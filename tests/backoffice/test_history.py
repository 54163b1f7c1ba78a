"""Who changed what and when, visible in the admin, and a revert to an earlier version."""

import re

import pytest
from django.urls import reverse

from events.models import Event
from registrations import services
from registrations.models import Participation
from tests.factories import EventFactory, ParticipationFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def _change(client, event, **changes):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(client.get(url).text, "event_form")
    data.update({name: [value] for name, value in changes.items()})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""


def test_an_admin_edit_is_recorded_with_who_and_what(admin_client, admin_user):
    event = EventFactory(title_en="First title")
    _change(admin_client, event, title_en="Second title")

    latest = event.history.first()
    assert latest.history_user == admin_user
    assert latest.history_type == "~"
    changes = {c.field: c.new for c in latest.diff_against(latest.prev_record).changes}
    assert changes["title_en"] == "Second title"
    assert "start_date" not in changes

    page = admin_client.get(reverse("admin:events_event_history", args=[event.pk])).text
    assert admin_user.username in page
    assert "Title [en]" in page or "title" in page.lower()


def test_an_earlier_version_is_restored_from_the_history(admin_client):
    event = EventFactory(title_en="First title")
    _change(admin_client, event, title_en="Second title")
    first = event.history.earliest()

    url = reverse("admin:events_event_simple_history", args=[event.pk, first.history_id])
    page = admin_client.get(url).text
    assert 'value="First title"' in page
    response = admin_client.post(url, form_data(page, "historicalevent_form"))
    assert response.status_code == 302, response.text[response.text.find("errornote") :][:3000]

    event.refresh_from_db()
    assert event.title_en == "First title"
    assert event.history.count() == 3


def test_a_registration_status_change_is_recorded(admin_user):
    participation = ParticipationFactory(event__capacity=None)
    services.participation_approve(participation=participation, by=admin_user)
    statuses = list(
        Participation.history.filter(id=participation.pk)
        .order_by("history_date")
        .values_list("status", flat=True)
    )
    assert statuses[0] == Participation.Status.PENDING
    assert statuses[-1] == Participation.Status.APPROVED


def test_history_pages_exist_for_every_content_model(admin_client):
    event = EventFactory()
    page = admin_client.get(reverse("admin:events_event_history", args=[event.pk]))
    assert page.status_code == 200
    assert re.search(r"Added|Created|\+", page.text)
    assert Event.history.model._meta.app_label == "backoffice"
