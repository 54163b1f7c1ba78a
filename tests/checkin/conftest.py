import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation

from checkin import services
from checkin.models import CheckinList, Entrance
from registrations.models import Participation
from tests.factories import DelegateFactory, OpenEventFactory, ParticipationFactory, VenueFactory


@pytest.fixture(autouse=True)
def _english_between_tests():
    with translation.override("en"):
        yield


@pytest.fixture
def checkin_staff_group(db):
    """The role as checkin's migration 0002 makes it (transactional tests elsewhere empty the
    table the migration filled, so it is made again here from the same list)."""
    role = importlib.import_module("checkin.migrations.0002_checkin_staff")
    group, _ = Group.objects.get_or_create(name=role.ROLE)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in role.PERMISSIONS
        ]
    )
    return group


@pytest.fixture
def event(db):
    return OpenEventFactory(title_en="Venture Capital Day", title_zh_hans="创投日")


@pytest.fixture
def venue(event):
    return VenueFactory(event=event, name_en="AI sub-venue", name_zh_hans="人工智能分会场")


@pytest.fixture
def main_list(event):
    return CheckinList.objects.create(event=event, name="Main gate")


@pytest.fixture
def north(main_list):
    return Entrance.objects.create(checkin_list=main_list, name="North gate")


@pytest.fixture
def south(main_list):
    return Entrance.objects.create(checkin_list=main_list, name="South gate", order=1)


@pytest.fixture
def delegate(event, venue):
    participation = ParticipationFactory(event=event, status=Participation.Status.APPROVED)
    delegate = DelegateFactory(participation=participation, name_zh="王明", name_en="Wang Ming")
    delegate.venues.set([venue])
    return delegate


def code_for(delegate):
    """The signed code printed on the delegate's badge."""
    event = delegate.participation.event
    badge = services.badges_issue(delegates=[delegate])[delegate.pk]
    key = services.signing_key_get_or_create(event=event)
    return services.badge_code(badge=badge, key=key, event=event)


def scan(entrance, code="", **fields):
    return services.scan_redeem(
        request=services.ScanRequest(entrance=entrance, code=code, **fields)
    )
