import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registrations.models import Participation
from tests.factories import AgreementFactory, EventFactory, ParticipationFactory, VenueFactory

pytestmark = pytest.mark.django_db

URL = reverse("admin_dashboard")
Status = Participation.Status


def _upcoming_with(registrations: int):
    event = EventFactory(title_en=f"Coming {registrations}", capacity=50)
    venue = VenueFactory(event=event, name_en="AI room", capacity=10)
    for n in range(registrations):
        participation = ParticipationFactory(
            event=event, delegates=2, status=Status.APPROVED if n % 2 else Status.PENDING
        )
        participation.venues.add(venue)
    return event


def _past_with(agreements: int):
    event = EventFactory(
        title_en=f"Past {agreements}", start_date=timezone.localdate() - datetime.timedelta(days=99)
    )
    ParticipationFactory(event=event, status=Status.APPROVED, delegates=4)
    for _ in range(agreements):
        AgreementFactory(event=event, amount_yuan="1000000")
    return event


def test_dashboard_shows_registrations_capacity_and_outcomes(admin_client):
    _upcoming_with(4)
    _past_with(3)
    page = admin_client.get(URL).text
    assert "Coming 4" in page
    assert "Pending review" in page
    assert "AI room" in page
    assert 'value="4"' in page  # two approved registrations of two delegates each
    assert "Past 3" in page
    assert "3 million yuan" in page


def test_dashboard_is_for_staff_only(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_dashboard_is_linked_from_the_admin_index(admin_client):
    assert URL in admin_client.get(reverse("admin:index")).text


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_the_data(admin_client):
    _upcoming_with(2)
    _past_with(1)
    small = _queries(admin_client)
    for size in (5, 8):
        _upcoming_with(size)
        _past_with(size)
    assert _queries(admin_client) == small
