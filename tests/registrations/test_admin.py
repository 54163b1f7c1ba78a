import pytest
from django.core import mail
from django.urls import reverse

from registrations.models import Participation, StatusChange
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    VenueFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db
Status = Participation.Status
CHANGELIST = reverse("admin:registrations_participation_changelist")


def run_action(client, action, participations):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in participations]},
        follow=True,
    )


def reload(*participations):
    return [Participation.objects.get(pk=p.pk).status for p in participations]


def test_admin_approve_action_reports_approved_and_waitlisted(admin_client, admin_user, event):
    event.capacity = 2
    event.save()
    first = ParticipationFactory(
        event=event, organization=OrganizationFactory(name_en="Alpha"), delegates=2
    )
    second = ParticipationFactory(event=event, organization=OrganizationFactory(name_en="Beta"))
    cancelled = ParticipationFactory(
        event=event, organization=OrganizationFactory(name_en="Gamma"), status=Status.CANCELLED
    )
    response = run_action(admin_client, "approve", [first, second, cancelled])
    texts = [str(message) for message in response.context["messages"]]
    assert reload(first, second, cancelled) == [
        Status.APPROVED,
        Status.WAITLISTED,
        Status.CANCELLED,
    ]
    assert "Approved (1): Alpha" in texts
    assert any(text.startswith("Put on the waiting list (1): Beta") for text in texts)
    assert any(text.startswith("Gamma: A cancelled registration") for text in texts)
    assert StatusChange.objects.get(participation=first).by == admin_user


def test_admin_reject_action_reports_promotions(admin_client, event):
    event.capacity = 1
    event.save()
    approved = ParticipationFactory(
        event=event, organization=OrganizationFactory(name_en="Alpha"), status=Status.APPROVED
    )
    waiting = ParticipationFactory(
        event=event, organization=OrganizationFactory(name_en="Beta"), status=Status.WAITLISTED
    )
    response = run_action(admin_client, "reject", [approved])
    texts = [str(message) for message in response.context["messages"]]
    assert reload(approved, waiting) == [Status.REJECTED, Status.APPROVED]
    assert "Rejected (1): Alpha" in texts
    assert "Promoted from the waiting list (1): Beta" in texts


def test_admin_reject_action_stores_and_sends_the_reason(
    admin_client, event, django_capture_on_commit_callbacks
):
    pending = ParticipationFactory(event=event, contact_email="who@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            CHANGELIST,
            {
                "action": "reject",
                "_selected_action": [pending.pk],
                "reason": "Places are for venture capital firms only.",
            },
            follow=True,
        )
    pending.refresh_from_db()
    assert pending.status == Status.REJECTED
    assert pending.rejection_reason == "Places are for venture capital firms only."
    assert "Reason given by the organizers: Places are for venture capital firms only." in (
        mail.outbox[-1].body
    )
    page = admin_client.get(CHANGELIST).text
    assert 'name="reason"' in page


def test_admin_waitlist_action(admin_client, event):
    pending = ParticipationFactory(event=event)
    run_action(admin_client, "waitlist", [pending])
    assert reload(pending) == [Status.WAITLISTED]


def test_admin_changelist_filters_and_shows_places(admin_client, event, venue):
    venue.capacity = 10
    venue.save()
    other_venue = VenueFactory(event=event, name_en="Fintech sub-venue")
    in_venue = ParticipationFactory(
        event=event,
        organization=OrganizationFactory(name_en="Alpha"),
        status=Status.APPROVED,
        delegates=4,
    )
    in_venue.venues.set([venue])
    elsewhere = ParticipationFactory(event=event, organization=OrganizationFactory(name_en="Beta"))
    elsewhere.venues.set([other_venue])
    ParticipationFactory(organization=OrganizationFactory(name_en="Other edition"))

    by_edition = admin_client.get(CHANGELIST, {"event__id__exact": event.pk})
    content = by_edition.content.decode()
    assert "Alpha" in content
    assert "Beta" in content
    assert "Other edition" not in content
    assert "Places of Venture Capital Day" in content
    assert (
        "<td>AI sub-venue</td>\n          <td>10</td>\n          <td>4</td>\n          <td>6</td>"
        in (content)
    )

    by_venue = admin_client.get(CHANGELIST, {"event__id__exact": event.pk, "venue": venue.pk})
    assert list(by_venue.context["cl"].result_list) == [in_venue]
    by_status = admin_client.get(CHANGELIST, {"status__exact": "pending"})
    assert {p.pk for p in by_status.context["cl"].result_list} >= {elsewhere.pk}
    assert in_venue not in by_status.context["cl"].result_list


def test_admin_search_by_institution_and_contact(admin_client, event):
    alpha = ParticipationFactory(
        event=event, organization=OrganizationFactory(name_en="Alpha Capital"), contact_name="Wang"
    )
    ParticipationFactory(event=event, organization=OrganizationFactory(name_en="Beta"))
    assert list(admin_client.get(CHANGELIST, {"q": "alpha"}).context["cl"].result_list) == [alpha]
    assert list(admin_client.get(CHANGELIST, {"q": "wang"}).context["cl"].result_list) == [alpha]


def test_admin_change_form_shows_places_and_history(admin_client, event, venue):
    participation = ParticipationFactory(event=event)
    url = reverse("admin:registrations_participation_change", args=[participation.pk])
    content = admin_client.get(url).content.decode()
    assert "Places of Venture Capital Day" in content
    assert "AI sub-venue" in content


def _change_data(participation, **overrides):
    data = {
        "contact_name": participation.contact_name,
        "contact_position": participation.contact_position,
        "contact_email": participation.contact_email,
        "contact_phone": participation.contact_phone,
        "delegates": participation.delegates,
        "venues": [venue.pk for venue in participation.venues.all()],
        "language": participation.language,
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
        "email_deliveries-TOTAL_FORMS": 0,
        "email_deliveries-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return data


def test_admin_fewer_delegates_promotes_waiting_list(admin_client, event):
    event.capacity = 3
    event.save()
    approved = ParticipationFactory(event=event, status=Status.APPROVED, delegates=3)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED, delegates=1)
    url = reverse("admin:registrations_participation_change", args=[approved.pk])
    response = admin_client.post(url, _change_data(approved, delegates=2))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.delegates == 2
    assert reload(waiting) == [Status.APPROVED]


def test_admin_more_delegates_than_places_refused(admin_client, event):
    event.capacity = 3
    event.save()
    approved = ParticipationFactory(event=event, status=Status.APPROVED, delegates=2)
    ParticipationFactory(event=event, status=Status.APPROVED, delegates=1)
    url = reverse("admin:registrations_participation_change", args=[approved.pk])
    response = admin_client.post(url, _change_data(approved, delegates=3))
    assert response.status_code == 200
    assert "would no longer fit" in response.content.decode()
    approved.refresh_from_db()
    assert approved.delegates == 2


def test_admin_change_does_not_overwrite_status(admin_client, event):
    participation = ParticipationFactory(event=event)
    url = reverse("admin:registrations_participation_change", args=[participation.pk])
    Participation.objects.filter(pk=participation.pk).update(status=Status.CANCELLED)
    admin_client.post(url, _change_data(participation, contact_name="New name"))
    participation.refresh_from_db()
    assert (participation.status, participation.contact_name) == (Status.CANCELLED, "New name")


def test_admin_delete_of_approved_promotes_waiting_list(admin_client, event):
    event.capacity = 1
    event.save()
    approved = ParticipationFactory(event=event, status=Status.APPROVED)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED)
    url = reverse("admin:registrations_participation_delete", args=[approved.pk])
    admin_client.post(url, {"post": "yes"})
    assert not Participation.objects.filter(pk=approved.pk).exists()
    assert reload(waiting) == [Status.APPROVED]


def test_raising_a_capacity_in_the_edition_admin_promotes_the_waiting_list(admin_client):
    event = EventFactory(capacity=2)
    first = ParticipationFactory(event=event, delegates=2, status=Participation.Status.APPROVED)
    waiting = ParticipationFactory(event=event, delegates=2, status=Participation.Status.WAITLISTED)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(admin_client.get(url).text, "event_form")
    response = admin_client.post(url, {**data, "capacity": ["4"]})
    assert response.status_code == 302
    waiting.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, waiting.status) == ("approved", "approved")


def test_admin_added_registration_goes_through_the_workflow(
    admin_client, admin_user, event, mailoutbox, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(name_en="Staff Added Capital")
    url = reverse("admin:registrations_participation_add")
    data = {
        **form_data(admin_client.get(url).text, "participation_form"),
        "event": [str(event.pk)],
        "organization": [str(organization.pk)],
        "contact_name": ["Wang Fang"],
        "contact_email": ["wang@example.com"],
        "delegates": ["2"],
        "language": ["zh-hans"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302
    participation = Participation.objects.get(event=event, organization=organization)
    assert participation.status == Status.PENDING
    change = participation.status_changes.get()
    assert (change.cause, change.by) == (StatusChange.Cause.ADDED_BY_STAFF, admin_user)
    assert [message.to for message in mailoutbox] == [["wang@example.com"]]
