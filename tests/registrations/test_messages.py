"""Messages to an edition's registrants and the reminder before an edition."""

import datetime
import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outbox.models import OutboundEmail, StaffJob
from registrations import services
from registrations.models import EmailDelivery, Participation, StaffMessage
from tests.factories import (
    OpenEventFactory,
    ParticipationFactory,
    StaffMessageFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db
Status = Participation.Status
ADMIN = "/admin/registrations/staffmessage/"


def _send(message, by=None):
    services.staff_message_send(message=message, by=by)
    message.refresh_from_db()
    return message


def test_message_reaches_filtered_registrants_each_in_their_language(
    django_capture_on_commit_callbacks,
):
    message = StaffMessageFactory(statuses=[Status.APPROVED, Status.WAITLISTED])
    ai = VenueFactory(event=message.event, kind="sub")
    other = VenueFactory(event=message.event, kind="sub")
    en = ParticipationFactory(event=message.event, status=Status.APPROVED, language="en")
    zh = ParticipationFactory(event=message.event, status=Status.WAITLISTED, language="zh-hans")
    pending = ParticipationFactory(event=message.event, status=Status.PENDING)
    elsewhere = ParticipationFactory(event=message.event, status=Status.APPROVED)
    ParticipationFactory(status=Status.APPROVED)  # another edition
    en.venues.set([ai])
    zh.venues.set([ai, other])
    elsewhere.venues.set([other])
    pending.venues.set([ai])
    message.venues.set([ai])
    with django_capture_on_commit_callbacks(execute=True):
        _send(message)
    message.refresh_from_db()
    assert message.status == StaffMessage.Status.SENT
    assert message.recipients == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {en.contact_email, zh.contact_email}
    assert by_address[en.contact_email].subject == "Practical information"
    assert "Doors open at 8:30." in by_address[en.contact_email].body
    assert by_address[zh.contact_email].subject == "参会须知"
    assert "八点半开门。" in by_address[zh.contact_email].body
    assert zh.reference in by_address[zh.contact_email].body
    job = StaffJob.objects.get()
    assert (job.status, job.result["queued"]) == ("done", 2)
    deliveries = EmailDelivery.objects.filter(message=message)
    assert {d.email.status for d in deliveries} == {"sent"}


def test_message_falls_back_to_the_other_language(django_capture_on_commit_callbacks):
    message = StaffMessageFactory(subject_zh_hans="", body_zh_hans="")
    ParticipationFactory(event=message.event, status=Status.APPROVED, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        _send(message)
    assert mail.outbox[0].subject == "Practical information"


def test_message_is_sent_once_even_if_run_again(django_capture_on_commit_callbacks):
    message = StaffMessageFactory()
    ParticipationFactory.create_batch(3, event=message.event, status=Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        _send(message)
    with pytest.raises(services.RegistrationError, match="already been sent"):
        services.staff_message_send(message=message, by=None)
    # A crashed job re-run (or run twice) skips those already queued.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.staff_message_deliver(message=message) == 0
    assert len(mail.outbox) == 3
    assert OutboundEmail.objects.filter(kind="message").count() == 3


def test_message_without_statuses_is_refused():
    message = StaffMessageFactory(statuses=[])
    with pytest.raises(services.RegistrationError, match="at least one"):
        services.staff_message_send(message=message, by=None)
    message.refresh_from_db()
    assert message.status == StaffMessage.Status.DRAFT


def test_admin_writes_previews_and_sends(admin_client, django_capture_on_commit_callbacks):
    event = OpenEventFactory()
    ParticipationFactory(event=event, status=Status.APPROVED, contact_name="Wang Fang")
    response = admin_client.post(
        f"{ADMIN}add/",
        {
            "event": event.pk,
            "subject_en": "Parking",
            "subject_zh_hans": "停车",
            "body_en": "Use gate B.",
            "body_zh_hans": "请走B门。",
            "statuses": ["approved"],
        },
    )
    assert response.status_code == 302, response.content[:2000]
    message = StaffMessage.objects.get()
    page = admin_client.get(f"{ADMIN}{message.pk}/change/").text
    assert "Use gate B." in page
    assert "请走B门。" in page
    assert "Dear Wang Fang," in page
    assert "Send to the recipients" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{ADMIN}{message.pk}/send/", follow=True)
    assert "is being sent" in response.text
    assert len(mail.outbox) == 1
    page = admin_client.get(f"{ADMIN}{message.pk}/change/").text
    assert "Sent: 1" in page
    assert "Send to the recipients" not in page
    deliveries = admin_client.get(
        f"/admin/registrations/emaildelivery/?message__id__exact={message.pk}"
    )
    assert deliveries.status_code == 200
    assert event.participations.get().contact_email in deliveries.text


def test_admin_refuses_foreign_sub_venues(admin_client):
    event = OpenEventFactory()
    foreign = VenueFactory(kind="sub")
    response = admin_client.post(
        f"{ADMIN}add/",
        {
            "event": event.pk,
            "subject_en": "x",
            "body_en": "y",
            "statuses": ["approved"],
            "venues": [foreign.pk],
        },
    )
    assert response.status_code == 200
    assert f"Select a valid choice. {foreign.pk} is not one of the available choices." in (
        response.text
    )
    assert not StaffMessage.objects.exists()


def test_admin_offers_the_sub_venues_of_the_message_edition_only(admin_client):
    event = OpenEventFactory()
    own = VenueFactory(event=event, kind="sub", name_en="Own hall")
    VenueFactory(kind="sub", name_en="Hall of another edition")
    message = StaffMessage.objects.create(event=event, subject_en="s", body_en="b")

    added = admin_client.get(f"{ADMIN}add/")
    changed = admin_client.get(f"{ADMIN}{message.pk}/change/")

    assert "Save the draft to choose among the sub-venues of its edition." in added.text
    assert "Hall of another edition" not in added.text
    assert f'value="{own.pk}"' in changed.text
    assert "Hall of another edition" not in changed.text


def test_send_needs_its_own_right(client, django_capture_on_commit_callbacks):
    message = StaffMessageFactory()
    ParticipationFactory(event=message.event, status=Status.APPROVED)
    user = User.objects.create_user("writer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_staffmessage", "change_staffmessage"])
    )
    client.force_login(user)
    assert "Send to the recipients" not in client.get(f"{ADMIN}{message.pk}/change/").text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{ADMIN}{message.pk}/send/").status_code == 403
        assert client.get(f"{ADMIN}{message.pk}/send/").status_code == 403
    assert mail.outbox == []


def test_delivery_list_query_count_does_not_grow(admin_client, django_capture_on_commit_callbacks):
    message = StaffMessageFactory()
    ParticipationFactory.create_batch(2, event=message.event, status=Status.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        _send(message)
    url = f"/admin/registrations/emaildelivery/?message__id__exact={message.pk}"
    admin_client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    few = count()
    more = StaffMessageFactory(event=message.event)
    ParticipationFactory.create_batch(20, event=message.event, status=Status.APPROVED)
    StaffMessage.objects.filter(pk=message.pk).update(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.staff_message_deliver(message=message)
        _send(more)
    assert count() == few


def test_edition_reminder_goes_to_approved_registrants_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    event = OpenEventFactory(
        start_date=today + datetime.timedelta(days=7),
        end_date=today + datetime.timedelta(days=7),
        title_en="Venture Capital Day",
        title_zh_hans="创投日",
    )
    approved = ParticipationFactory(event=event, status=Status.APPROVED, language="zh-hans")
    ParticipationFactory(event=event, status=Status.PENDING)
    ParticipationFactory(
        event=OpenEventFactory(start_date=today + datetime.timedelta(days=8)),
        status=Status.APPROVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_edition_reminders", "--days", "7")
        call_command("send_edition_reminders", "--days", "7")  # a timer firing twice
    assert [m.to[0] for m in mail.outbox] == [approved.contact_email]
    assert "创投日" in mail.outbox[0].subject
    assert "7" in mail.outbox[0].body
    delivery = EmailDelivery.objects.get()
    assert delivery.kind == EmailDelivery.Kind.EDITION_REMINDER
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.edition_reminders_queue(days=6, today=today + datetime.timedelta(days=1)) == 1
        )


def test_edition_reminder_refuses_negative_days():
    with pytest.raises(SystemExit):
        call_command("send_edition_reminders", "--days", "-1")


def test_export_in_the_background_writes_an_xlsx(admin_client, django_capture_on_commit_callbacks):
    import openpyxl

    participations = ParticipationFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/registrations/participation/",
            {
                "action": "export_in_background",
                "_selected_action": [p.pk for p in participations[:2]],
            },
            follow=True,
        )
    assert "The export is being prepared." in response.text
    job = StaffJob.objects.get()
    assert (job.status, job.result["rows"]) == ("done", 2)
    download = admin_client.get(f"/admin/outbox/staffjob/{job.pk}/download/")
    assert download.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.active.max_row == 3  # header and two rows
