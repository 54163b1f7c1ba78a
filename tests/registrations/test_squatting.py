"""A registration that matches a known institution by name or code: it cannot lock the
institution itself out, reveals nothing stored about it, and staff see how it matched."""

import pytest
from django.core import mail
from django.urls import reverse

from events.models import Event
from registrations import services
from registrations.models import Participation
from tests.factories import OrganizationFactory

from .conftest import VALID_USCC
from .test_views import form_data, url

pytestmark = pytest.mark.django_db

Match = Participation.Match


@pytest.fixture
def institution():
    return OrganizationFactory(name_en="Real Name Holdings", uscc=VALID_USCC)


def test_a_name_squatter_does_not_lock_the_institution_out(
    client, event, institution, django_capture_on_commit_callbacks
):
    event.approval_mode = Event.ApprovalMode.AUTOMATIC
    event.save()
    squatter = client.post(
        url(event),
        form_data(institution_name="Real Name Holdings Ltd", contact_email="x@squat.example"),
    )
    assert squatter.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        real = client.post(
            url(event),
            form_data(
                institution_name="Real Name Holdings",
                uscc=VALID_USCC,
                contact_email="office@real.example",
            ),
        )
    assert real.status_code == 302, real.content.decode()[:500]

    first = Participation.objects.get(contact_email="x@squat.example")
    second = Participation.objects.get(contact_email="office@real.example")
    assert first.organization == second.organization == institution
    assert (first.matched_by, first.contested) == (Match.NAME, False)
    assert (second.matched_by, second.contested) == (Match.USCC, True)
    # Staff decide between the two: a contested one is never approved automatically.
    assert second.status == Participation.Status.PENDING
    # The status link goes to the institution's own contact, not to the first registrant.
    assert [message.to for message in mail.outbox] == [["office@real.example"]]
    assert second.reference in mail.outbox[0].body


def test_a_stored_uscc_reveals_nothing_stored_to_whoever_types_it(
    client, event, institution, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(event),
            form_data(
                institution_name="Anything Ltd", uscc=VALID_USCC, contact_email="a@b.example"
            ),
            follow=True,
        )
    page = response.content.decode()
    assert "Anything Ltd" in page
    assert "Real Name Holdings" not in page
    (receipt,) = mail.outbox
    assert "Anything Ltd" in receipt.body
    assert "Real Name Holdings" not in receipt.body + receipt.subject
    participation = Participation.objects.get()
    assert participation.organization == institution
    assert participation.matched_by == Match.USCC


def test_only_one_of_two_registrations_of_an_institution_can_be_approved(event, institution):
    from .conftest import register

    first = register(event, name="Real Name Holdings", contact_email="one@example.com")
    second = register(event, name="Real Name Holdings", contact_email="two@example.com")
    assert second.contested
    services.participation_approve(participation=first)
    with pytest.raises(services.TransitionError):
        services.participation_approve(participation=second)
    services.participation_reject(participation=first)
    assert services.participation_approve(participation=second).status == "approved"


def test_staff_see_in_the_review_list_how_each_registration_matched(
    admin_client, event, institution
):
    from .conftest import register

    register(event, name="Brand New Capital", contact_email="new@example.com")
    register(
        event, name="Real Name Holdings", contact_email="one@example.com", contact_name="Ann One"
    )
    register(
        event,
        name="Another Name",
        uscc=VALID_USCC,
        contact_email="two@example.com",
        contact_name="Bob Two",
    )
    page = admin_client.get(reverse("admin:registrations_participation_changelist")).text
    assert "new institution" in page
    assert "matched by name" in page
    assert "matched by USCC" in page
    assert "typed: “Another Name”" in page
    assert "contested" in page
    filtered = admin_client.get(
        reverse("admin:registrations_participation_changelist"), {"contested__exact": "1"}
    ).text
    assert "Bob Two" in filtered
    assert "Ann One" not in filtered
