import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, MeetingSeat, MeetingSettings, MeetingTable
from outbox.models import OutboundEmail
from tests.factories import AgreementFactory

from .conftest import side

pytestmark = pytest.mark.django_db


def request(investor, project, slot, **kwargs):
    return services.meeting_request(
        requester=investor[1][0], invitee=project[1][0], slot=slot, **kwargs
    )


def test_round_generate_makes_slots_and_tables(meeting_round, slots):
    assert [timezone.localtime(slot.starts_at).strftime("%H:%M") for slot in slots] == [
        "14:00",
        "14:20",
        "14:40",
    ]
    assert list(meeting_round.table_set.values_list("number", flat=True)) == [1, 2]


def test_round_generate_with_breaks_keeps_used_slots(meeting_round, slots, investor, project):
    request(investor, project, slots[2])
    meeting_round.break_minutes = 10
    meeting_round.save()
    services.round_generate(meeting_round=meeting_round)
    times = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in meeting_round.slots.all()]
    # 14:00 and 14:30 from the new times; 14:40 kept, a request holds it.
    assert times == ["14:00", "14:30", "14:40"]


def test_request_holds_the_slot_for_both_and_tells_the_invitee(slots, investor, project):
    meeting = request(investor, project, slots[0], message="Hello")
    assert meeting.status == Meeting.Status.PENDING
    assert set(MeetingSeat.objects.values_list("delegate", flat=True)) == {
        investor[1][0].pk,
        project[1][0].pk,
    }
    email = OutboundEmail.objects.get(kind="meeting_requested")
    assert email.to == project[0].contact_email
    assert "Example Capital" in email.subject  # in Chinese: the project registered in Chinese
    assert email.subject == "来自 Example Capital 的洽谈申请"
    assert meeting.expires_at <= slots[0].starts_at


def test_request_in_a_taken_slot_is_refused(event, slots, investor, project):
    request(investor, project, slots[0])
    other = side(event, "project", name="Other Robotics")
    with pytest.raises(services.MeetingError, match="no longer free"):
        services.meeting_request(requester=investor[1][0], invitee=other[1][0], slot=slots[0])


def test_request_between_same_sides_is_refused(event, slots, investor):
    other = side(event, "investor", name="Other Capital")
    with pytest.raises(services.MeetingError, match="between an investor and a project"):
        services.meeting_request(requester=investor[1][0], invitee=other[1][0], slot=slots[0])


def test_request_to_a_hidden_profile_is_refused(slots, investor, project):
    services.profile_set_hidden(profile=project[0].meeting_profile, hidden=True)
    with pytest.raises(services.MeetingError, match="does not take meetings"):
        request(investor, project, slots[0])


def test_cap_per_delegate(event, slots, investor, project):
    MeetingSettings.objects.create(event=event, max_meetings_per_delegate=1)
    request(investor, project, slots[0])
    other = side(event, "project", name="Other Robotics")
    with pytest.raises(services.MeetingError, match="most meetings allowed"):
        services.meeting_request(requester=investor[1][0], invitee=other[1][0], slot=slots[1])


def test_accept_gives_a_table_and_tells_the_requester(slots, investor, project):
    meeting = request(investor, project, slots[0])
    meeting = services.meeting_accept(meeting=meeting, participation=project[0])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED
    assert meeting.table.number == 1
    assert OutboundEmail.objects.filter(
        kind="meeting_accepted", to=investor[0].contact_email
    ).exists()


def test_only_the_invitee_accepts(slots, investor, project):
    meeting = request(investor, project, slots[0])
    with pytest.raises(services.MeetingError, match="Only the invited"):
        services.meeting_accept(meeting=meeting, participation=investor[0])


def test_accept_when_every_table_is_taken_says_so(event, slots, investor, project):
    meetings = []
    for index in range(3):
        inv = side(event, "investor", name=f"Capital {index}")
        proj = side(event, "project", name=f"Robotics {index}")
        meetings.append((request(inv, proj, slots[0]), proj[0]))
    services.meeting_accept(meeting=meetings[0][0], participation=meetings[0][1])
    services.meeting_accept(meeting=meetings[1][0], participation=meetings[1][1])
    with pytest.raises(services.MeetingError, match="Every table of this slot is taken"):
        services.meeting_accept(meeting=meetings[2][0], participation=meetings[2][1])
    assert Meeting.objects.get(pk=meetings[2][0].pk).status == Meeting.Status.PENDING


def test_decline_frees_the_slot(slots, investor, project):
    meeting = request(investor, project, slots[0])
    services.meeting_decline(meeting=meeting, participation=project[0])
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.DECLINED
    assert not MeetingSeat.objects.exists()
    again = request(investor, project, slots[0])
    assert again.status == Meeting.Status.PENDING


def test_expired_request_lets_the_slot_go(event, slots, investor, project):
    meeting = request(investor, project, slots[0])
    later = meeting.expires_at + datetime.timedelta(seconds=1)
    assert services.meetings_expire(now=later) == 1
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.EXPIRED
    assert not MeetingSeat.objects.exists()
    assert OutboundEmail.objects.filter(kind="meeting_expired").count() == 1


def test_accepting_an_expired_request_is_refused_and_it_expires(slots, investor, project):
    meeting = request(investor, project, slots[0])
    with pytest.raises(services.MeetingError, match="expired"):
        services.meeting_accept(
            meeting=meeting,
            participation=project[0],
            now=meeting.expires_at + datetime.timedelta(minutes=1),
        )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.EXPIRED


def test_cancel_by_one_side_tells_the_other(slots, investor, project):
    meeting = request(investor, project, slots[0])
    services.meeting_accept(meeting=meeting, participation=project[0])
    services.meeting_cancel(meeting=meeting, participation=investor[0])
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED
    cancelled = OutboundEmail.objects.filter(kind="meeting_cancelled")
    assert list(cancelled.values_list("to", flat=True)) == [project[0].contact_email]
    assert cancelled.get().language == "zh-hans"
    assert "取消" in cancelled.get().subject


def test_mark_held_and_link_an_agreement(slots, investor, project):
    meeting = request(investor, project, slots[0])
    services.meeting_accept(meeting=meeting, participation=project[0])
    with pytest.raises(services.MeetingError, match="once its slot has begun"):
        services.meeting_mark(meeting=meeting, held=True, participation=investor[0])
    services.meeting_mark(
        meeting=meeting,
        held=True,
        participation=investor[0],
        now=slots[0].starts_at + datetime.timedelta(minutes=5),
    )
    agreement = AgreementFactory()
    services.meeting_link_agreement(meeting=meeting, agreement=agreement)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agreement) == (Meeting.Status.HELD, agreement)


def test_move_tells_both_sides(meeting_round, slots, investor, project):
    meeting = request(investor, project, slots[0])
    services.meeting_accept(meeting=meeting, participation=project[0])
    services.meeting_move(meeting=meeting, slot=slots[2], table=None)
    meeting.refresh_from_db()
    assert meeting.slot == slots[2]
    assert meeting.table.number == 1
    assert set(MeetingSeat.objects.values_list("slot", flat=True)) == {slots[2].pk}
    assert OutboundEmail.objects.filter(kind="meeting_changed").count() == 2


def test_database_refuses_a_second_seat_of_a_delegate_in_a_slot(slots, investor, project):
    meeting = request(investor, project, slots[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingSeat.objects.create(meeting=meeting, delegate=investor[1][0], slot=slots[0])


def test_database_refuses_two_meetings_at_a_table_in_a_slot(event, slots, investor, project):
    first = request(investor, project, slots[0])
    services.meeting_accept(meeting=first, participation=project[0])
    inv = side(event, "investor", name="Capital 2")
    proj = side(event, "project", name="Robotics 2")
    second = request(inv, proj, slots[0])
    table = MeetingTable.objects.get(pk=Meeting.objects.get(pk=first.pk).table_id)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=second.pk).update(status="accepted", table=table)


def test_preferences_and_generated_schedule_publish(event, slots, investor, project):
    services.preference_set(participation=investor[0], target=project[0], level=3)
    run = services.schedule_generate(event=event)
    assert run.report["must_meet"] == 1
    assert run.report["must_meet_placed"] == 1
    draft = Meeting.objects.get(status=Meeting.Status.DRAFT)
    assert draft.table is not None
    assert services.schedule_publish(event=event) == 1
    assert Meeting.objects.get(pk=draft.pk).status == Meeting.Status.ACCEPTED
    assert OutboundEmail.objects.filter(kind="meeting_scheduled").count() == 2


def test_cancelled_registration_cancels_its_meetings_and_tells_the_other_side(
    slots, investor, project
):
    from registrations import services as registration_services

    meeting = request(investor, project, slots[0])
    services.meeting_accept(meeting=meeting, participation=project[0])
    registration_services.participation_cancel(participation=investor[0])
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED
    assert not MeetingSeat.objects.exists()
    assert OutboundEmail.objects.filter(
        kind="meeting_cancelled", to=project[0].contact_email
    ).exists()


def test_removed_delegate_cancels_their_meetings_and_tells_the_other_side(slots, investor, project):
    from registrations import services as registration_services

    meeting = request(investor, project, slots[0])
    services.meeting_accept(meeting=meeting, participation=project[0])
    registration_services.delegates_replace(
        participation=investor[0],
        delegates=[registration_services.DelegateData(name_en="Someone Else")],
    )
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert OutboundEmail.objects.filter(
        kind="meeting_cancelled", to=project[0].contact_email
    ).exists()


def test_erasure_blanks_meeting_messages_and_scrubs_meeting_emails(slots, investor, project):
    from registrations.privacy import personal_data_erase

    meeting = request(investor, project, slots[0], message="Ask for Wang at the door")
    project_email = project[0].contact_email
    assert OutboundEmail.objects.filter(kind="meeting_requested", to=project_email).exists()

    personal_data_erase(references=[project[0].reference])

    meeting.refresh_from_db()
    assert meeting.message == ""
    assert not OutboundEmail.objects.filter(to__iexact=project_email).exists()
    assert OutboundEmail.objects.filter(kind="meeting_requested").get().body_text == ""
