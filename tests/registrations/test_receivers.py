"""Every path that changes places promotes the waiting list: not only the admin's hooks."""

import pytest

from registrations.models import Participation
from tests.factories import EventFactory, ParticipationFactory, VenueFactory

pytestmark = pytest.mark.django_db
Status = Participation.Status


def statuses(*participations):
    return [Participation.objects.get(pk=p.pk).status for p in participations]


def test_raising_an_editions_capacity_from_the_shell_promotes():
    event = EventFactory(capacity=2)
    ParticipationFactory(event=event, delegates=2, status=Status.APPROVED)
    waiting = ParticipationFactory(event=event, delegates=2, status=Status.WAITLISTED)
    event.capacity = 4
    event.save()
    assert statuses(waiting) == [Status.APPROVED]


def test_removing_an_editions_limit_promotes():
    event = EventFactory(capacity=1)
    ParticipationFactory(event=event, status=Status.APPROVED)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED)
    event.capacity = None
    event.save(update_fields=["capacity"])
    assert statuses(waiting) == [Status.APPROVED]


def test_saving_an_edition_without_changing_capacity_leaves_the_waiting_list():
    # Staff wait-listed it although places are free: an unrelated edit must not approve it.
    event = EventFactory(capacity=5)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED)
    event.title = "Renamed"
    event.save()
    assert statuses(waiting) == [Status.WAITLISTED]


def test_raising_a_sub_venues_capacity_promotes():
    event = EventFactory()
    venue = VenueFactory(event=event, capacity=1)
    approved = ParticipationFactory(event=event, status=Status.APPROVED)
    approved.venues.add(venue)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED)
    waiting.venues.add(venue)
    venue.capacity = 2
    venue.save()
    assert statuses(waiting) == [Status.APPROVED]


def test_deleting_a_full_sub_venue_promotes():
    event = EventFactory()
    venue = VenueFactory(event=event, capacity=0)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED)
    waiting.venues.add(venue)
    venue.delete()
    assert statuses(waiting) == [Status.APPROVED]


def test_deleting_an_approved_registration_in_bulk_promotes():
    event = EventFactory(capacity=1)
    approved = ParticipationFactory(event=event, status=Status.APPROVED)
    waiting = ParticipationFactory(event=event, status=Status.WAITLISTED)
    Participation.objects.filter(pk=approved.pk).delete()
    assert statuses(waiting) == [Status.APPROVED]


def test_reverting_an_edition_to_a_larger_capacity_promotes():
    event = EventFactory(capacity=4)
    ParticipationFactory(event=event, delegates=2, status=Status.APPROVED)
    event.capacity = 2
    event.save()
    waiting = ParticipationFactory(event=event, delegates=2, status=Status.WAITLISTED)
    # What the history page's revert does: save the old version's instance.
    event.history.earliest().instance.save()
    assert statuses(waiting) == [Status.APPROVED]
