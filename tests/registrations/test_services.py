import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Event
from organizations.models import Organization
from registrations import selectors, services
from registrations.models import Participation, StatusChange
from tests.factories import OrganizationFactory, ParticipationFactory, VenueFactory

from .conftest import register

Status = Participation.Status
pytestmark = pytest.mark.django_db


def make(event, *, status, delegates=1, venues=(), minutes_ago=0):
    participation = ParticipationFactory(
        event=event,
        status=status,
        delegates=delegates,
        created_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )
    participation.venues.set(venues)
    return participation


def statuses(*participations):
    return [Participation.objects.get(pk=p.pk).status for p in participations]


# Matching


def test_participation_register_reuses_matching_institution(event):
    existing = OrganizationFactory(name_en="Example Capital Limited")
    participation = register(event, name="example capital co., ltd.")
    assert participation.organization == existing
    assert Organization.objects.count() == 1 + 1  # the series' organizer and this one


def test_participation_register_creates_institution_in_form_language(event):
    participation = register(event, name="前海创投有限公司", city="深圳", language="zh-hans")
    organization = participation.organization
    assert organization.name_zh_hans == "前海创投有限公司"
    assert organization.city_zh_hans == "深圳"
    assert organization.normalized_name_zh_hans == "前海创投"
    assert organization.slug
    assert participation.status == Status.PENDING
    assert participation.language == "zh-hans"


def test_participation_register_twice_by_the_same_contact_refused_without_second_row(event):
    first = register(event, name="Example Capital", contact_email="li@example.com")
    with pytest.raises(services.AlreadyRegisteredError) as caught:
        register(event, name="EXAMPLE CAPITAL LTD", contact_email="LI@example.com")
    assert caught.value.participation == first
    assert Participation.objects.count() == 1


def test_participation_register_same_institution_other_edition_allowed(event):
    register(event)
    other = type(event).objects.get(pk=event.pk)
    other.pk = None
    other.slug = "other-edition"
    other.save()
    register(other)
    assert Participation.objects.count() == 2
    assert Organization.objects.filter(name_en="Example Capital").count() == 1


@pytest.mark.parametrize(
    ("opens", "closes", "published"),
    [
        (1, 10, True),  # opens tomorrow
        (-10, -1, True),  # closed yesterday
        (None, None, True),  # no registration
        (-1, 10, False),  # draft
    ],
)
def test_participation_register_outside_window_refused(event, opens, closes, published):
    now = timezone.now()
    event.registration_opens_at = None if opens is None else now + datetime.timedelta(days=opens)
    event.registration_closes_at = None if closes is None else now + datetime.timedelta(days=closes)
    event.is_published = published
    event.save()
    with pytest.raises(services.RegistrationClosedError):
        register(event)
    assert not Participation.objects.exists()


def test_participation_register_venue_of_other_edition_refused(event):
    foreign = VenueFactory()
    with pytest.raises(services.InvalidVenueError):
        register(event, venues=[foreign])
    assert not Participation.objects.exists()
    assert not Organization.objects.filter(name_en="Example Capital").exists()


def test_participation_register_logs_the_new_registration(event):
    participation = register(event)
    change = StatusChange.objects.get(participation=participation)
    assert (change.old_status, change.new_status) == ("", Status.PENDING)
    assert change.cause == StatusChange.Cause.REGISTERED


# Approval modes and capacity


def test_participation_register_review_mode_stays_pending(event):
    event.capacity = 100
    event.save()
    assert register(event).status == Status.PENDING


def test_participation_register_automatic_mode_approves_while_places_remain(automatic_event):
    automatic_event.capacity = 3
    automatic_event.save()
    first = register(automatic_event, name="One", delegates=2)
    second = register(automatic_event, name="Two", delegates=2)
    third = register(automatic_event, name="Three", delegates=1)
    assert statuses(first, second, third) == [Status.APPROVED, Status.WAITLISTED, Status.APPROVED]


def test_participation_register_automatic_mode_counts_sub_venue_capacity(automatic_event):
    small = VenueFactory(event=automatic_event, capacity=2)
    large = VenueFactory(event=automatic_event, capacity=None)
    first = register(automatic_event, name="One", delegates=2, venues=[small])
    second = register(automatic_event, name="Two", delegates=1, venues=[small, large])
    third = register(automatic_event, name="Three", delegates=5, venues=[large])
    assert statuses(first, second, third) == [Status.APPROVED, Status.WAITLISTED, Status.APPROVED]


def test_participation_approve_within_capacity(event):
    event.capacity = 2
    event.save()
    participation = make(event, status=Status.PENDING, delegates=2)
    result = services.participation_approve(participation=participation)
    assert result.status == Status.APPROVED


def test_participation_approve_over_capacity_waitlists(event):
    venue = VenueFactory(event=event, capacity=3)
    make(event, status=Status.APPROVED, delegates=2, venues=[venue])
    participation = make(event, status=Status.PENDING, delegates=2, venues=[venue])
    result = services.participation_approve(participation=participation)
    assert result.status == Status.WAITLISTED
    assert selectors.capacity_usage(event=event)[1].used == 2


def test_participation_approve_cancelled_refused(event):
    participation = make(event, status=Status.CANCELLED)
    with pytest.raises(services.TransitionError):
        services.participation_approve(participation=participation)
    assert statuses(participation) == [Status.CANCELLED]


def test_participation_approve_records_who(event, admin_user):
    participation = make(event, status=Status.PENDING)
    services.participation_approve(participation=participation, by=admin_user)
    change = participation.status_changes.get(new_status=Status.APPROVED)
    assert change.by == admin_user
    assert change.cause == StatusChange.Cause.STAFF


def test_participation_waitlist_of_approved_refused(event):
    participation = make(event, status=Status.APPROVED)
    with pytest.raises(services.TransitionError):
        services.participation_waitlist(participation=participation)


def test_participation_reject_frees_places_for_waiting_list_in_order(event):
    event.capacity = 2
    event.save()
    approved = make(event, status=Status.APPROVED, delegates=2, minutes_ago=50)
    later = make(event, status=Status.WAITLISTED, delegates=1, minutes_ago=10)
    earlier = make(event, status=Status.WAITLISTED, delegates=1, minutes_ago=20)
    last = make(event, status=Status.WAITLISTED, delegates=1, minutes_ago=5)
    services.participation_reject(participation=approved)
    assert statuses(approved, earlier, later, last) == [
        Status.REJECTED,
        Status.APPROVED,
        Status.APPROVED,
        Status.WAITLISTED,
    ]
    promoted = StatusChange.objects.filter(cause=StatusChange.Cause.PROMOTED)
    assert [change.participation_id for change in promoted] == [earlier.pk, later.pk]


def test_participation_cancel_promotes_next_that_fits(event):
    venue = VenueFactory(event=event, capacity=3)
    other_venue = VenueFactory(event=event, capacity=1)
    approved = make(event, status=Status.APPROVED, delegates=3, venues=[venue], minutes_ago=50)
    too_big = make(event, status=Status.WAITLISTED, delegates=4, venues=[venue], minutes_ago=40)
    fits = make(event, status=Status.WAITLISTED, delegates=2, venues=[venue], minutes_ago=30)
    elsewhere = make(
        event, status=Status.WAITLISTED, delegates=1, venues=[other_venue], minutes_ago=20
    )
    services.participation_cancel(participation=approved)
    assert statuses(approved, too_big, fits, elsewhere) == [
        Status.CANCELLED,
        Status.WAITLISTED,
        Status.APPROVED,
        Status.APPROVED,
    ]


def test_participation_cancel_of_pending_promotes_nobody(event):
    event.capacity = 1
    event.save()
    make(event, status=Status.APPROVED)
    pending = make(event, status=Status.PENDING)
    waiting = make(event, status=Status.WAITLISTED)
    services.participation_cancel(participation=pending)
    assert statuses(pending, waiting) == [Status.CANCELLED, Status.WAITLISTED]


def test_participation_cancel_by_registrant_is_logged(event):
    participation = make(event, status=Status.PENDING)
    services.participation_cancel(participation=participation)
    assert participation.status_changes.get().cause == StatusChange.Cause.REGISTRANT


def test_participation_cancel_rejected_refused(event):
    participation = make(event, status=Status.REJECTED)
    with pytest.raises(services.TransitionError):
        services.participation_cancel(participation=participation)


def test_waitlist_promote_after_capacity_raised(event):
    event.capacity = 1
    event.save()
    make(event, status=Status.APPROVED)
    waiting = make(event, status=Status.WAITLISTED, delegates=2)
    assert services.waitlist_promote(event=event) == []
    Event.objects.filter(pk=event.pk).update(capacity=3)
    assert services.waitlist_promote(event=event) == [waiting]
    assert statuses(waiting) == [Status.APPROVED]


def test_capacity_usage_counts_only_approved(event):
    event.capacity = 10
    event.save()
    venue = VenueFactory(event=event, capacity=5)
    make(event, status=Status.APPROVED, delegates=3, venues=[venue])
    make(event, status=Status.PENDING, delegates=2, venues=[venue])
    make(event, status=Status.WAITLISTED, delegates=2, venues=[venue])
    edition, sub_venue = selectors.capacity_usage(event=event)
    assert (edition.used, edition.free) == (3, 7)
    assert (sub_venue.venue, sub_venue.used, sub_venue.free) == (venue, 3, 2)


def test_participation_register_after_cancelling_renews_the_row(event):
    first = register(event, delegates=2)
    old_reference = first.reference
    services.participation_cancel(participation=first)
    again = register(event, name="EXAMPLE CAPITAL LTD", delegates=1, contact_email="new@x.org")
    assert again.pk == first.pk
    assert (again.status, again.delegates, again.contact_email) == (
        Status.PENDING,
        1,
        "new@x.org",
    )
    assert again.reference != old_reference
    assert Participation.objects.count() == 1
    assert [c.new_status for c in again.status_changes.all()] == [
        Status.PENDING,
        Status.CANCELLED,
        Status.PENDING,
    ]


def test_participation_register_after_rejection_refused(event):
    first = register(event)
    services.participation_reject(participation=first)
    with pytest.raises(services.AlreadyRegisteredError):
        register(event)


def test_promote_waitlist_command(event):
    event.capacity = 2
    event.save()
    waiting = make(event, status=Status.WAITLISTED)
    out = io.StringIO()
    call_command("promote_waitlist", event.slug, stdout=out)
    assert statuses(waiting) == [Status.APPROVED]
    assert "1 promoted." in out.getvalue()


def test_staff_edit_growing_beyond_free_places_is_refused_under_the_lock(event):
    event.capacity = 10
    event.save()
    grower = ParticipationFactory(event=event, delegates=2, status=Participation.Status.APPROVED)
    ParticipationFactory(event=event, delegates=3, status=Participation.Status.APPROVED)
    with pytest.raises(services.CapacityError):
        services.participation_update_details(participation=grower, changes={"delegates": 8})
    grower.refresh_from_db()
    assert grower.delegates == 2
    services.participation_update_details(participation=grower, changes={"delegates": 7})
    grower.refresh_from_db()
    assert grower.delegates == 7


def test_staff_can_correct_details_after_a_capacity_was_lowered(event):
    event.capacity = 10
    event.save()
    kept = ParticipationFactory(event=event, delegates=6, status=Participation.Status.APPROVED)
    ParticipationFactory(event=event, delegates=4, status=Participation.Status.APPROVED)
    event.capacity = 8
    event.save()
    services.participation_update_details(
        participation=kept, changes={"contact_phone": "+86 755 0000 0000"}
    )
    kept.refresh_from_db()
    assert (kept.contact_phone, kept.delegates, kept.status) == ("+86 755 0000 0000", 6, "approved")


def test_staff_adding_a_full_sub_venue_is_refused(event):
    full = VenueFactory(event=event, capacity=2)
    ParticipationFactory(event=event, delegates=2, status=Participation.Status.APPROVED).venues.set(
        [full]
    )
    other = ParticipationFactory(event=event, delegates=1, status=Participation.Status.APPROVED)
    with pytest.raises(services.CapacityError, match="places free"):
        services.participation_update_details(participation=other, changes={}, venues=[full])
    assert not other.venues.exists()
