"""Writes through the history pages: the change right of the model, and the side effects of a
save (waiting list, public page stamps) on a revert."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from backoffice.history import TRACKED_MODELS
from common.pagecache import stamps_read
from registrations.models import Participation
from tests import factories
from tests.forms import form_data
from website.cache import edition_scope

pytestmark = pytest.mark.django_db(transaction=False)

FACTORIES = {
    "organizations.Organization": factories.OrganizationFactory,
    "organizations.Person": factories.PersonFactory,
    "organizations.OrganizerContact": factories.OrganizerContactFactory,
    "events.Series": factories.SeriesFactory,
    "events.Event": factories.EventFactory,
    "events.Venue": factories.VenueFactory,
    "events.Session": factories.SessionFactory,
    "registrations.Participation": factories.ParticipationFactory,
    "events.Agreement": factories.AgreementFactory,
    "events.KeyFigure": factories.KeyFigureFactory,
    "events.Photo": factories.PhotoFactory,
    "checkin.CheckinList": factories.CheckinListFactory,
    "meetings.MeetingSettings": factories.MeetingSettingsFactory,
    "meetings.MeetingRound": factories.MeetingRoundFactory,
    "meetings.MeetingProfile": factories.MeetingProfileFactory,
    "meetings.Meeting": factories.MeetingFactory,
    # followup (its models declare their history themselves, in their own app)
    "followup.FollowUp": factories.FollowUpFactory,
    "followup.CapitalEntry": factories.CapitalEntryFactory,
}
# Tracked models with an admin of their own; the rest are edited as inlines of one of these.
WITH_ADMIN = [label for label in TRACKED_MODELS if apps.get_model(label) in admin.site._registry]
WITH_ADMIN += ["followup.FollowUp", "followup.CapitalEntry"]


def test_every_tracked_model_with_an_admin_is_covered():
    assert set(WITH_ADMIN) <= set(FACTORIES)


@pytest.fixture
def staff(django_user_model):
    def make(role: str):
        user = django_user_model.objects.create_user(role.lower(), password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def _revert_url(obj):
    opts = obj._meta
    version = obj.history.earliest()
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def _forged_revert(admin_client, obj) -> dict:
    """The revert form as an admin sees it: what a view-only user would have to send."""
    page = admin_client.get(_revert_url(obj))
    assert page.status_code == 200
    return form_data(page.text, f"historical{obj._meta.model_name}_form")


@pytest.mark.parametrize("label", WITH_ADMIN)
@pytest.mark.parametrize("role", ["Reviewers", "Editors"])
def test_history_revert_without_change_right_is_refused(label, role, staff, client, admin_client):
    model = apps.get_model(label)
    user = staff(role)
    if user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}"):
        pytest.skip(f"{role} may change {label}")
    obj = FACTORIES[label]()
    before = model.history.filter(**{model._meta.pk.attname: obj.pk}).count()
    data = _forged_revert(admin_client, obj)

    client.force_login(user)
    response = client.post(_revert_url(obj), data)

    assert response.status_code == 403
    assert model.history.filter(**{model._meta.pk.attname: obj.pk}).count() == before


@pytest.mark.parametrize("label", [label for label in WITH_ADMIN if label in TRACKED_MODELS])
def test_history_revert_with_only_the_view_right_is_refused(
    label, django_user_model, client, admin_client
):
    """The roles have no right at all on some tracked models (the meetings'), so the test
    above stops them before the change right is asked: a user given only the view right
    reads the earlier version and cannot restore it. (The follow-up's admins narrow what one
    may view by themselves.)"""
    model = apps.get_model(label)
    user = django_user_model.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label=model._meta.app_label,
            codename=f"view_{model._meta.model_name}",
        )
    )
    obj = FACTORIES[label]()
    before = model.history.filter(**{model._meta.pk.attname: obj.pk}).count()
    data = _forged_revert(admin_client, obj)

    client.force_login(user)
    assert client.get(_revert_url(obj)).status_code == 200
    response = client.post(_revert_url(obj), data)

    assert response.status_code == 403
    assert model.history.filter(**{model._meta.pk.attname: obj.pk}).count() == before


def test_reviewer_still_reads_an_earlier_version(staff, client):
    event = factories.EventFactory(title_en="Kept")
    client.force_login(staff("Reviewers"))
    page = client.get(_revert_url(event))
    assert page.status_code == 200
    assert "Kept" in page.text


def test_editor_reverts_an_edition(staff, client):
    event = factories.EventFactory(title_en="First")
    event.title_en = "Second"
    event.save()
    client.force_login(staff("Editors"))
    url = _revert_url(event)
    response = client.post(url, form_data(client.get(url).text, "historicalevent_form"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title_en == "First"


def test_malformed_history_addresses_are_not_found(admin_client):
    event = factories.EventFactory()
    base = reverse("admin:events_event_history", args=[event.pk])
    assert admin_client.get(base + "abc/").status_code == 404
    assert admin_client.get(base.replace(f"/{event.pk}/", "/abc/")).status_code == 404


def _stamp(event) -> str:
    return next(iter(stamps_read([edition_scope(event.pk)]).values()))


def _reverted(admin_client, obj, **changes):
    """Change ``obj`` now, then restore its first version through the history page."""
    url = _revert_url(obj)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    response = admin_client.post(
        url, form_data(admin_client.get(url).text, f"historical{obj._meta.model_name}_form")
    )
    assert response.status_code == 302, response.content[:2000]


@pytest.mark.django_db(transaction=True)
def test_reverting_an_edition_to_a_higher_capacity_promotes_the_waiting_list(admin_client):
    event = factories.EventFactory(capacity=4)
    approved = factories.ParticipationFactory(
        event=event, delegates=2, status=Participation.Status.APPROVED
    )
    waiting = factories.ParticipationFactory(
        event=event, delegates=2, status=Participation.Status.WAITLISTED
    )
    stamp = _stamp(event)
    # Lowered to 2 (the waiting list stays as it is), then restored to 4.
    _reverted(admin_client, event, capacity=2)

    event.refresh_from_db()
    assert event.capacity == 4
    waiting.refresh_from_db()
    assert waiting.status == Participation.Status.APPROVED
    approved.refresh_from_db()
    assert approved.status == Participation.Status.APPROVED
    assert _stamp(event) != stamp


@pytest.mark.django_db(transaction=True)
def test_reverting_a_sub_venue_to_a_higher_capacity_promotes_the_waiting_list(admin_client):
    event = factories.EventFactory(capacity=None)
    venue = factories.VenueFactory(event=event, capacity=3)
    approved = factories.ParticipationFactory(
        event=event, delegates=2, status=Participation.Status.APPROVED
    )
    approved.venues.add(venue)
    waiting = factories.ParticipationFactory(
        event=event, delegates=1, status=Participation.Status.WAITLISTED
    )
    waiting.venues.add(venue)
    stamp = _stamp(event)

    _reverted(admin_client, type(venue).objects.get(pk=venue.pk), capacity=2)

    venue.refresh_from_db()
    assert venue.capacity == 3
    waiting.refresh_from_db()
    assert waiting.status == Participation.Status.APPROVED
    assert _stamp(event) != stamp


@pytest.mark.django_db(transaction=True)
def test_reverting_a_session_to_another_edition_outdates_both_editions(admin_client):
    first, second = factories.EventFactory(), factories.EventFactory()
    session = factories.SessionFactory(event=first)
    session = type(session).objects.get(pk=session.pk)
    session.event = second
    session.venue = factories.VenueFactory(event=second)
    session.save()
    stamps = _stamp(first), _stamp(second)
    url = _revert_url(session)
    response = admin_client.post(
        url, form_data(admin_client.get(url).text, "historicalsession_form")
    )
    assert response.status_code == 302, response.content[:3000]
    assert _stamp(first) != stamps[0]
    assert _stamp(second) != stamps[1]
