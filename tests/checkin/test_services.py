"""The answer to a scan: every reason, nonces, badges, through checkin.services."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from checkin import services
from checkin.models import Badge, CheckinList, Entrance, Scan
from registrations import services as registration_services
from registrations.models import Delegate, Participation
from tests.factories import DelegateFactory, OpenEventFactory, ParticipationFactory, VenueFactory

from .conftest import code_for, scan

pytestmark = pytest.mark.django_db

Reason = Scan.Reason


def test_genuine_badge_is_admitted_once_per_list(north, south, delegate):
    code = code_for(delegate)
    first = scan(north, code, device="phone-1")
    assert first.reason == Reason.ADMITTED
    assert first.delegate == delegate
    second = scan(south, code)
    assert second.reason == Reason.ALREADY_ADMITTED
    assert Scan.objects.filter(reason=Reason.ADMITTED).count() == 1


def test_admission_on_one_list_does_not_count_on_another(event, north, delegate, venue):
    door = Entrance.objects.create(
        checkin_list=CheckinList.objects.create(event=event, name="AI door", venue=venue),
        name="AI door",
    )
    code = code_for(delegate)
    assert scan(north, code).reason == Reason.ADMITTED
    assert scan(door, code).reason == Reason.ADMITTED


def test_sub_venue_rule_refuses_delegates_not_attending_it(event, delegate):
    other = VenueFactory(event=event, name_en="Fintech")
    door = Entrance.objects.create(
        checkin_list=CheckinList.objects.create(event=event, name="Fintech", venue=other),
        name="Fintech door",
    )
    assert scan(door, code_for(delegate)).reason == Reason.NOT_ALLOWED


def test_category_rule(event, delegate):
    vip_list = CheckinList.objects.create(event=event, name="VIP", categories=["official", "vip"])
    door = Entrance.objects.create(checkin_list=vip_list, name="VIP door")
    code = code_for(delegate)
    assert scan(door, code).reason == Reason.NOT_ALLOWED
    Delegate.objects.filter(pk=delegate.pk).update(category="vip")
    assert scan(door, code).reason == Reason.ADMITTED


def test_time_window_judged_at_the_moment_of_the_scan(event, delegate):
    now = timezone.now()
    timed = CheckinList.objects.create(
        event=event, name="Morning", opens_at=now - datetime.timedelta(hours=2), closes_at=now
    )
    door = Entrance.objects.create(checkin_list=timed, name="Door")
    code = code_for(delegate)
    assert scan(door, code).reason == Reason.OUTSIDE_WINDOW
    # Made offline an hour ago, sent now: judged at its own time.
    earlier = scan(door, code, scanned_at=now - datetime.timedelta(hours=1))
    assert earlier.reason == Reason.ADMITTED
    # A scan claiming to come from the future is judged now.
    later = scan(door, code, scanned_at=now + datetime.timedelta(days=1))
    assert later.scanned_at <= timezone.now()


def test_cancelling_the_registration_revokes_its_codes(north, delegate):
    code = code_for(delegate)
    registration_services.participation_cancel(participation=delegate.participation)
    assert scan(north, code).reason == Reason.CANCELLED


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (Participation.Status.PENDING, Reason.NOT_APPROVED),
        (Participation.Status.WAITLISTED, Reason.NOT_APPROVED),
        (Participation.Status.REJECTED, Reason.CANCELLED),
    ],
)
def test_registration_must_be_approved(north, delegate, status, reason):
    code = code_for(delegate)
    Participation.objects.filter(pk=delegate.participation_id).update(status=status)
    assert scan(north, code).reason == reason


def test_reissued_badge_revokes_the_old_code(north, delegate):
    old = code_for(delegate)
    services.badge_reissue(delegate=delegate)
    assert scan(north, old).reason == Reason.REVOKED
    assert scan(north, code_for(delegate)).reason == Reason.ADMITTED
    assert Badge.objects.filter(delegate=delegate, revoked_at=None).count() == 1


def test_forged_altered_expired_and_foreign_codes_are_refused(north, delegate, event):
    code = code_for(delegate)
    forged_key = services.Ed25519PrivateKey.generate()
    badge = Badge.objects.get(delegate=delegate)
    valid_from, valid_until = services.badge_validity(event)
    forged = services.signing.sign(
        key=forged_key,
        event_id=event.pk,
        serial=badge.serial,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    assert scan(north, forged).reason == Reason.FORGED
    altered = code[:-3] + ("AAA" if code[-3:] != "AAA" else "BBB")
    assert scan(north, altered).reason in {Reason.FORGED, Reason.UNKNOWN}
    assert scan(north, "hello").reason == Reason.UNKNOWN
    after = timezone.now() + datetime.timedelta(days=400)
    Scan.objects.all().delete()
    expired = services.scan_redeem(
        request=services.ScanRequest(entrance=north, code=code, scanned_at=None),
    )
    assert expired.reason == Reason.ADMITTED  # today the code is current
    assert services.code_verify(code, now=timezone.now())
    with pytest.raises(services.signing.CodeError) as error:
        services.code_verify(code, now=after)
    assert error.value.reason == "expired"
    # A genuine code of another edition is unknown at this entrance.
    other = DelegateFactory(
        participation=ParticipationFactory(
            event=OpenEventFactory(), status=Participation.Status.APPROVED
        )
    )
    assert scan(north, code_for(other)).reason == Reason.UNKNOWN


def test_expired_code_through_the_scan_endpoint_service(north, delegate, event):
    code = code_for(delegate)
    event.start_date = event.end_date = timezone.localdate() - datetime.timedelta(days=5)
    event.save(update_fields=["start_date", "end_date"])
    # The code carries its own validity: moving the edition does not extend an old code.
    assert scan(north, code).reason == Reason.ADMITTED
    badge = Badge.objects.get(delegate=delegate)
    key = services.signing_key_get_or_create(event=event)
    expired = services.badge_code(badge=badge, key=key, event=event)
    Scan.objects.all().delete()
    assert scan(north, expired).reason == Reason.EXPIRED


def test_same_nonce_twice_is_one_scan(north, delegate):
    code = code_for(delegate)
    first = scan(north, code, nonce="abc-1")
    again = scan(north, code, nonce="abc-1")
    assert again.pk == first.pk
    assert again.reason == Reason.ADMITTED
    assert Scan.objects.count() == 1


def test_manual_admission_by_delegate(north, delegate):
    admitted = scan(north, delegate_id=delegate.pk)
    assert admitted.reason == Reason.ADMITTED
    assert admitted.source == Scan.Source.MANUAL
    assert scan(north, code_for(delegate)).reason == Reason.ALREADY_ADMITTED


def test_manual_admission_of_another_editions_delegate_is_unknown(north):
    stranger = DelegateFactory(
        participation=ParticipationFactory(status=Participation.Status.APPROVED)
    )
    assert scan(north, delegate_id=stranger.pk).reason == Reason.UNKNOWN


def test_every_scan_is_stored_with_its_answer(north, delegate):
    scan(north, "nonsense", device="phone-7")
    stored = Scan.objects.get()
    assert stored.reason == Reason.UNKNOWN
    assert stored.device == "phone-7"
    assert stored.code == "nonsense"


def test_database_refuses_a_second_admission(north, south, delegate):
    Scan.objects.create(checkin_list=north.checkin_list, entrance=north, delegate=delegate,
                        reason=Reason.ADMITTED)  # fmt: skip
    with pytest.raises(IntegrityError):
        Scan.objects.create(checkin_list=south.checkin_list, entrance=south, delegate=delegate,
                            reason=Reason.ADMITTED)  # fmt: skip


def test_badges_issue_is_idempotent_and_two_queries(event, django_assert_num_queries):
    participation = ParticipationFactory(event=event)
    delegates = list(
        Delegate.objects.filter(
            pk__in=[DelegateFactory(participation=participation).pk for _ in range(5)]
        ).select_related("participation")
    )
    with django_assert_num_queries(3):
        first = services.badges_issue(delegates=delegates)
    with django_assert_num_queries(1):
        again = services.badges_issue(delegates=delegates)
    assert {b.pk for b in first.values()} == {b.pk for b in again.values()}
