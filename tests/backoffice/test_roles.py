"""The Editors and Reviewers groups created by the data migration, and what each may do."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from registrations.models import ErasureRequest, Participation
from tests.factories import EventFactory, ParticipationFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(django_user_model):
    def make(role: str):
        user = django_user_model.objects.create_user(role.lower(), password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def _login(client, user):
    client.force_login(user)
    return client


def _approve(client, participation):
    return client.post(
        reverse("admin:registrations_participation_changelist"),
        {"action": "approve", "_selected_action": [participation.pk]},
    )


def _edit_event(client, event, title):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(client.get(url).text, "event_form")
    return client.post(url, {**data, "title_en": [title]})


def test_reviewer_approves_registrations(client, staff):
    participation = ParticipationFactory(event__capacity=None)
    _login(client, staff("Reviewers"))
    _approve(client, participation)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.APPROVED


def test_reviewer_cannot_change_an_edition(client, staff):
    event = EventFactory(title_en="Kept")
    _login(client, staff("Reviewers"))
    page = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert page.status_code == 200  # read-only view
    assert 'name="title_en"' not in page.text
    response = client.post(reverse("admin:events_event_change", args=[event.pk]), {"title_en": "X"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title_en == "Kept"


def test_reviewer_cannot_edit_a_registrations_details(client, staff):
    participation = ParticipationFactory(delegates=2)
    _login(client, staff("Reviewers"))
    url = reverse("admin:registrations_participation_change", args=[participation.pk])
    assert client.post(url, {"delegates": 9}).status_code == 403
    participation.refresh_from_db()
    assert participation.delegates == 2


def test_reviewer_sees_nothing_of_users(client, staff, admin_user):
    _login(client, staff("Reviewers"))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_editor_changes_an_edition(client, staff):
    event = EventFactory(title_en="Old")
    _login(client, staff("Editors"))
    assert _edit_event(client, event, "New").status_code == 302
    event.refresh_from_db()
    assert event.title_en == "New"


def test_editor_cannot_delete_a_user(client, staff, admin_user):
    _login(client, staff("Editors"))
    url = reverse("admin:auth_user_delete", args=[admin_user.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(admin_user).objects.filter(pk=admin_user.pk).exists()


def test_editor_cannot_approve_registrations(client, staff):
    participation = ParticipationFactory(event__capacity=None)
    _login(client, staff("Editors"))
    _approve(client, participation)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PENDING


def test_editor_imports_institutions(client, staff):
    _login(client, staff("Editors"))
    page = client.get(reverse("admin:organizations_organization_import"))
    assert page.status_code == 200


def test_editor_sees_no_registrations_and_their_contact_details(client, staff):
    ParticipationFactory(contact_email="private@example.com")
    _login(client, staff("Editors"))
    assert client.get(reverse("admin:registrations_participation_changelist")).status_code == 403
    assert client.get(reverse("admin:registrations_participation_export")).status_code == 403


def test_reviewer_confirms_an_erasure_request(client, staff):
    participation = ParticipationFactory(contact_name="Li Lei", contact_email="li.lei@example.com")
    erasure = ErasureRequest.objects.create(participation=participation)
    _login(client, staff("Reviewers"))
    changelist = reverse("admin:registrations_erasurerequest_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "confirm_erasure", "_selected_action": [erasure.pk]})
    erasure.refresh_from_db()
    participation.refresh_from_db()
    assert erasure.erased_at is not None
    assert "Li Lei" not in participation.contact_name


def test_editor_sees_no_erasure_request(client, staff):
    _login(client, staff("Editors"))
    assert client.get(reverse("admin:registrations_erasurerequest_changelist")).status_code == 403
