import pytest
from django.core.management import call_command

from devdata.scale import SERIES_SLUG
from events.models import Agreement, Event, Session
from organizations.models import Organization
from registrations.models import Participation

pytestmark = pytest.mark.django_db

SMALL = ["--institutions=50", "--editions=3", "--sessions=9", "--participations=60",
         "--agreements=7"]  # fmt: skip


def _participations():
    return list(
        Participation.objects.order_by("pk").values_list(
            "event__slug", "organization__slug", "status", "delegates"
        )
    )


def test_generate_scale_data_makes_the_requested_sizes():
    call_command("generate_scale_data", *SMALL, verbosity=0)
    assert Organization.objects.filter(slug__startswith="scale-").count() == 50
    assert Event.objects.filter(series__slug=SERIES_SLUG).count() == 3
    assert Session.objects.count() == 9
    assert Participation.objects.count() == 60
    assert Agreement.objects.count() == 7


def test_generate_scale_data_is_deterministic_and_replaces_the_previous_run():
    call_command("generate_scale_data", *SMALL, verbosity=0)
    first = _participations()
    call_command("generate_scale_data", *SMALL, verbosity=0)
    assert _participations() == first


def test_generate_scale_data_leaves_other_data_alone():
    call_command("load_demo", verbosity=0)
    call_command("generate_scale_data", *SMALL, verbosity=0)
    assert Event.objects.filter(slug="venture-capital-day-of-shenzhen-2024").exists()
