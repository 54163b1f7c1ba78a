"""``Organization.is_public`` follows every change that gives or takes a public role."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
    SeriesFactory,
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


def flag_queries(context: CaptureQueriesContext) -> list[str]:
    """The queries a save spent on institutions' flags: those that touch their table."""
    return [q["sql"] for q in context.captured_queries if "organizations_organization" in q["sql"]]


def listed(**kwargs) -> Participation:
    return ParticipationFactory(
        status=Participation.Status.APPROVED, listed_publicly=True, **kwargs
    )


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


def test_another_listed_registration_of_a_public_institution_only_reads_its_flag():
    organization = OrganizationFactory()
    listed(organization=organization)
    event = EventFactory()
    with CaptureQueriesContext(connection) as saved:
        listed(organization=organization, event=event)
    [read] = flag_queries(saved)
    assert read.startswith("SELECT")
    assert "EXISTS" not in read
    assert public(organization)


def test_a_registration_that_is_no_public_role_costs_no_flag_query():
    organization, event = OrganizationFactory(), EventFactory()
    with CaptureQueriesContext(connection) as created:
        participation = ParticipationFactory(
            organization=organization, event=event, listed_publicly=True
        )
    with CaptureQueriesContext(connection) as edited:
        participation.contact_name = "Someone else"
        participation.save(update_fields=["contact_name"])
    assert flag_queries(created) == []
    assert flag_queries(edited) == []
    assert not public(organization)


def test_a_full_save_that_changes_no_role_reads_the_stored_row_once():
    participation = listed()
    participation.contact_name = "Someone else"
    with CaptureQueriesContext(connection) as saved:
        participation.save()
    [read] = flag_queries(saved)
    assert read.startswith("SELECT")
    assert "EXISTS" not in read


def test_withdrawing_one_of_two_listings_keeps_the_flag_and_the_last_clears_it():
    organization = OrganizationFactory()
    first, second = listed(organization=organization), listed(organization=organization)
    first.status = Participation.Status.CANCELLED
    first.save(update_fields=["status"])
    assert public(organization)
    second.delete()
    assert not public(organization)
    assert_flag_matches_rule()


def test_a_save_from_an_instance_loaded_before_another_change_compares_with_the_stored_row():
    organization = OrganizationFactory()
    stale = ParticipationFactory(organization=organization, listed_publicly=True)
    fresh = Participation.objects.get(pk=stale.pk)
    fresh.status = Participation.Status.APPROVED
    fresh.save()
    assert public(organization)
    # Still "pending" in memory: only the stored row tells that a listing is withdrawn.
    stale.status = Participation.Status.REJECTED
    stale.save()
    assert not public(organization)


def test_a_move_to_another_institution_moves_the_flag_even_from_a_stale_instance():
    first, second = OrganizationFactory(), OrganizationFactory()
    stale = listed(organization=first)
    moved = Participation.objects.get(pk=stale.pk)
    moved.organization = second
    moved.save()
    assert not public(first)
    assert public(second)
    # The stale instance still names the first institution but writes only the listing.
    stale.listed_publicly = False
    stale.save(update_fields=["listed_publicly"])
    assert not public(second)
    assert not public(first)


def test_saving_an_institution_loaded_before_its_flag_changed_keeps_the_stored_flag():
    organization = OrganizationFactory()
    participation = listed(organization=organization)
    assert not organization.is_public  # as created, before its registration
    organization.city = "Shenzhen"
    organization.save()
    assert public(organization)
    participation.delete()
    loaded_public = Organization.objects.get(pk=organization.pk)
    assert not loaded_public.is_public
    organization.is_public = True
    organization.save()
    assert not public(organization)


def test_moving_a_session_or_an_agreement_to_an_unpublished_edition_hides_its_institutions():
    published, unpublished = EventFactory(is_published=True), EventFactory(is_published=False)
    speaker_body, signatory = OrganizationFactory(), OrganizationFactory()
    session = SessionFactory(event=published)
    SessionSpeakerFactory(session=session, person=PersonFactory(organization=speaker_body))
    agreement = AgreementFactory(event=published)
    AgreementPartyFactory(agreement=agreement, organization=signatory)
    assert public(speaker_body)
    assert public(signatory)
    session.event = unpublished
    session.save()
    agreement.event = unpublished
    agreement.save()
    assert not public(speaker_body)
    assert not public(signatory)
    agreement.event = None  # signed outside an edition: public again
    agreement.save()
    assert public(signatory)
    assert_flag_matches_rule()


def test_editing_an_edition_without_publishing_it_or_hiding_it_recomputes_nothing():
    event = EventFactory(is_published=True)
    listed(event=event)
    event.title_en = "Renamed"
    with CaptureQueriesContext(connection) as saved:
        event.save()
    assert not [sql for sql in saved.captured_queries if "EXISTS" in sql["sql"]]


def test_every_kind_of_role_given_and_taken_keeps_the_flag_equal_to_the_rule():
    organization, other = OrganizationFactory(), OrganizationFactory()
    published = EventFactory(is_published=True)
    person = PersonFactory(organization=organization)
    party = AgreementPartyFactory(agreement=AgreementFactory(event=None), organization=other)
    party.organization = organization
    party.save()
    roles = [
        EventHostFactory(event=published, organization=organization),
        KeyFigureFactory(series=None, organization=organization),
        SeriesFactory(organizer=organization),
        SessionSpeakerFactory(session=SessionFactory(event=published), person=person),
        OrganizationFactory(parent=organization),
        party,
    ]
    assert_flag_matches_rule()
    for role in roles:
        assert public(organization)
        role.delete()
        assert_flag_matches_rule()
    assert not public(organization)
