"""``Organization.is_public`` follows every change that gives or takes a public role."""

import pytest

from events.models import Agreement
from organizations.models import Organization
from registrations.models import Participation
from registrations.public import organization_public_refresh
from registrations.selectors import organization_public_q
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    EventFactory,
    EventHostFactory,
    KeyFigureFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    SessionFactory,
    SessionSpeakerFactory,
)

pytestmark = pytest.mark.django_db


def public(organization: Organization) -> bool:
    organization.refresh_from_db(fields=["is_public"])
    return organization.is_public


def assert_flag_matches_rule() -> None:
    expected = set(Organization.objects.filter(organization_public_q()).values_list("pk", flat=1))
    stored = set(Organization.objects.filter(is_public=True).values_list("pk", flat=True))
    assert stored == expected


def test_listed_approved_registration_names_the_institution_until_withdrawn():
    organization = OrganizationFactory()
    assert not public(organization)
    participation = ParticipationFactory(
        organization=organization, status=Participation.Status.PENDING, listed_publicly=True
    )
    assert not public(organization)
    participation.status = Participation.Status.APPROVED
    participation.save(update_fields=["status"])
    assert public(organization)
    participation.listed_publicly = False
    participation.save(update_fields=["listed_publicly"])
    assert not public(organization)
    participation.listed_publicly = True
    participation.save(update_fields=["listed_publicly"])
    participation.delete()
    assert not public(organization)


def test_unpublishing_the_edition_hides_its_institutions_and_publishing_shows_them():
    event = EventFactory(is_published=True)
    host, participant = OrganizationFactory(), OrganizationFactory()
    EventHostFactory(event=event, organization=host)
    ParticipationFactory(
        event=event,
        organization=participant,
        status=Participation.Status.APPROVED,
        listed_publicly=True,
    )
    assert public(host)
    assert public(participant)
    event.is_published = False
    event.save()
    assert not public(host)
    assert not public(participant)
    event.is_published = True
    event.save()
    assert public(host)
    assert public(participant)
    assert_flag_matches_rule()


def test_other_roles_agreements_talks_figures_children_and_moves():
    signatory, speaker_body, figure_body, parent = OrganizationFactory.create_batch(4)
    agreement = AgreementFactory(event=None, kind=Agreement.Kind.MOU)
    party = AgreementPartyFactory(agreement=agreement, organization=signatory)
    assert public(signatory)
    person = PersonFactory(organization=speaker_body)
    SessionSpeakerFactory(session=SessionFactory(), person=person)
    assert public(speaker_body)
    KeyFigureFactory(series=None, organization=figure_body, label_en="Funds")
    assert public(figure_body)
    child = OrganizationFactory(parent=parent)
    assert public(parent)
    assert not public(child)
    # A talk moves with its speaker's institution; an agreement party to another institution.
    other = OrganizationFactory()
    person.organization = other
    person.save()
    assert public(other)
    assert not public(speaker_body)
    party.organization = other
    party.save()
    assert not public(signatory)
    child.parent = None
    child.save()
    assert not public(parent)
    assert_flag_matches_rule()


def test_hosts_added_through_the_relation_count_too():
    event = EventFactory(is_published=True)
    organization = OrganizationFactory()
    event.hosts.add(organization)
    assert public(organization)
    event.hosts.remove(organization)
    assert not public(organization)


def test_refresh_repairs_rows_written_without_signals():
    organization = OrganizationFactory()
    ParticipationFactory(
        organization=organization, status=Participation.Status.APPROVED, listed_publicly=True
    )
    Organization.objects.filter(pk=organization.pk).update(is_public=False)
    stray = OrganizationFactory()
    Organization.objects.filter(pk=stray.pk).update(is_public=True)
    assert organization_public_refresh() == 2
    assert public(organization)
    assert not public(stray)
