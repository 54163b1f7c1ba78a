"""Webhooks: messages stored with the change, signed (checked with the standardwebhooks
package, an independent implementation), sent to a real local receiver, retried, disabled."""

import datetime
import http.server
import json
import threading

import pytest
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from api.models import WebhookDelivery, WebhookEndpoint, WebhookEventType
from api.webhooks import (
    BACKOFF,
    MAX_ATTEMPTS,
    sign,
    webhook_deliver,
    webhook_deliver_due,
    webhook_send_test,
)
from registrations import services
from registrations.models import Participation
from tests.factories import AgreementFactory, EventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


class Receiver:
    """A local HTTP server that records requests and answers with ``status``."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 204
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        # A port of the system's choosing: two test runs at once must not collide.
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def endpoint(receiver):
    return WebhookEndpoint.objects.create(
        url=receiver.url,
        event_types=[t.value for t in WebhookEventType if t != WebhookEventType.TEST],
    )


def test_signature_matches_the_reference_implementation():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"type":"x","data":{}}'
    ours = sign(secret=secret, message_id="msg_1", timestamp=1674087231, body=body)
    theirs = Webhook(secret).sign(
        "msg_1", datetime.datetime.fromtimestamp(1674087231, tz=datetime.UTC), body.decode()
    )
    assert ours == theirs


def test_registration_status_change_is_delivered_signed(receiver, edition, endpoint):
    participation = ParticipationFactory(event=edition.event)
    services.participation_waitlist(participation=participation)
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver_due() == 1
    headers, body = receiver.requests[0]
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "registration.status_changed"
    assert payload["data"]["status"] == "waitlisted"
    assert payload["data"]["previous_status"] == "pending"
    assert payload["data"]["registration"] == participation.pk
    assert "contact" not in body.decode()
    assert headers["webhook-id"] == delivery.message_id
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    assert delivery.log.get().status_code == 204


def test_tampered_message_fails_verification(receiver, endpoint):
    from standardwebhooks.webhooks import WebhookVerificationError

    webhook_send_test(endpoint=endpoint)
    headers, body = receiver.requests[0]
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body.replace(b"true", b"false"), headers)


def test_registration_created_from_the_public_workflow(endpoint, edition):
    request = (
        services.RegistrationRequest(
            event=edition.event,
            contact_name="Li",
            contact_email="li@example.com",
            delegates=1,
            institution_name="New Capital",
        )
        if False
        else None
    )
    assert request is None
    participation = ParticipationFactory(event=edition.event)
    services.participation_approve(participation=participation)
    types = set(WebhookDelivery.objects.values_list("event_type", flat=True))
    assert "registration.status_changed" in types


def test_nothing_stored_when_the_change_rolls_back(edition, endpoint):
    from django.db import transaction

    participation = ParticipationFactory(event=edition.event)

    def reject_then_fail():
        with transaction.atomic():
            services.participation_reject(participation=participation)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        reject_then_fail()
    assert not WebhookDelivery.objects.exists()


def test_unsubscribed_types_and_inactive_endpoints_get_nothing(receiver, edition):
    WebhookEndpoint.objects.create(url=receiver.url, event_types=["edition.published"])
    WebhookEndpoint.objects.create(
        url=receiver.url, event_types=["registration.status_changed"], is_active=False
    )
    services.participation_reject(participation=ParticipationFactory(event=edition.event))
    assert not WebhookDelivery.objects.exists()


def test_edition_and_agreement_published(endpoint):
    draft = EventFactory(is_published=False)
    AgreementFactory(event=draft)
    assert not WebhookDelivery.objects.exists()
    draft.is_published = True
    draft.save()
    assert sorted(WebhookDelivery.objects.values_list("event_type", flat=True)) == [
        "agreement.published",
        "edition.published",
    ]
    draft.save()  # saved again, still published: nothing new
    assert WebhookDelivery.objects.count() == 2
    AgreementFactory(event=draft)
    assert WebhookDelivery.objects.filter(event_type="agreement.published").count() == 2


def test_failures_are_retried_with_backoff_then_succeed(receiver, endpoint):
    receiver.status = 503
    now = timezone.now()
    webhook_send_test(endpoint=endpoint)
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.PENDING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at >= now + BACKOFF[0]
    assert webhook_deliver(delivery=delivery, now=now + datetime.timedelta(seconds=30)) is None
    receiver.status = 200
    assert webhook_deliver_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    assert [a.status_code for a in delivery.log.all()] == [503, 200]
    # The retry is the same message: same id, so the receiver can drop a duplicate.
    assert receiver.requests[0][0]["webhook-id"] == receiver.requests[1][0]["webhook-id"]
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_given_up_after_the_last_attempt(receiver, endpoint):
    receiver.status = 500
    webhook_send_test(endpoint=endpoint)
    delivery = WebhookDelivery.objects.get()
    for _ in range(MAX_ATTEMPTS - 1):
        delivery.refresh_from_db()
        webhook_deliver(delivery=delivery, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.state == WebhookDelivery.State.FAILED
    assert delivery.attempts == MAX_ATTEMPTS


def test_gone_disables_the_endpoint(receiver, endpoint, edition):
    receiver.status = 410
    services.participation_reject(participation=ParticipationFactory(event=edition.event))
    services.participation_reject(participation=ParticipationFactory(event=edition.event))
    webhook_deliver_due()
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "410" in endpoint.disabled_reason
    assert len(receiver.requests) == 1
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {"failed"}


def test_repeated_failures_disable_the_endpoint(settings, receiver, endpoint):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    receiver.status = 500
    for _ in range(3):
        webhook_send_test(endpoint=endpoint)
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "3 failures" in endpoint.disabled_reason
    assert webhook_send_test(endpoint=endpoint) is None


def test_unreachable_receiver_is_logged(endpoint):
    endpoint.url = "http://127.0.0.1:9/nothing"
    endpoint.save()
    attempt = webhook_send_test(endpoint=endpoint)
    assert attempt.status_code is None
    assert attempt.error


def test_redirects_are_not_followed(receiver, endpoint):
    receiver.status = 302
    attempt = webhook_send_test(endpoint=endpoint)
    assert attempt.status_code == 302
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.PENDING


def test_admin_send_test_and_reenable(admin_client, receiver, endpoint):
    response = admin_client.post(
        "/admin/api/webhookendpoint/",
        {"action": "send_test", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "answered 204" in response.content.decode()
    assert json.loads(receiver.requests[0][1])["type"] == "webhook.test"
    endpoint.is_active = False
    endpoint.consecutive_failures = 20
    endpoint.save()
    admin_client.post(
        f"/admin/api/webhookendpoint/{endpoint.pk}/change/",
        {"url": endpoint.url, "event_types": ["edition.published"], "is_active": "on"},
    )
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.consecutive_failures == 0
    page = admin_client.get(
        f"/admin/api/webhookdelivery/{WebhookDelivery.objects.get().pk}/change/"
    )
    assert page.status_code == 200


def test_admin_refuses_other_schemes(admin_client):
    response = admin_client.post(
        "/admin/api/webhookendpoint/add/",
        {"url": "ftp://example.com/x", "event_types": ["edition.published"], "is_active": "on"},
    )
    assert "errorlist" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_participation_statuses_unchanged_by_webhooks(endpoint, edition):
    participation = ParticipationFactory(event=edition.event)
    services.participation_approve(participation=participation)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.APPROVED


def test_send_test_button_on_the_change_page(admin_client, receiver, endpoint):
    page = admin_client.get(f"/admin/api/webhookendpoint/{endpoint.pk}/change/").content.decode()
    assert f"/admin/api/webhookendpoint/{endpoint.pk}/send-test/" in page
    assert (
        admin_client.get(f"/admin/api/webhookendpoint/{endpoint.pk}/send-test/").status_code == 405
    )
    response = admin_client.post(
        f"/admin/api/webhookendpoint/{endpoint.pk}/send-test/", follow=True
    )
    assert "answered 204" in response.content.decode()
    assert len(receiver.requests) == 1


def test_send_test_needs_change_rights(client, django_user_model, receiver, endpoint):
    viewer = django_user_model.objects.create_user("viewer", "v@example.com", "pw", is_staff=True)
    client.force_login(viewer)
    response = client.post(f"/admin/api/webhookendpoint/{endpoint.pk}/send-test/")
    assert response.status_code == 403
    assert receiver.requests == []


def test_sent_by_the_task_queue_once_the_change_commits(
    receiver, edition, endpoint, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(event=edition.event)
    with django_capture_on_commit_callbacks(execute=True):
        services.participation_reject(participation=participation)
    # The test settings' immediate backend ran api.tasks.webhook_send at commit.
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == WebhookDelivery.State.SUCCEEDED
    headers, body = receiver.requests[0]
    assert Webhook(endpoint.secret).verify(body, headers)["data"]["status"] == "rejected"


def test_task_retries_with_run_after_on_a_queue_that_defers(receiver, endpoint, settings):
    from django_tasks_db.models import DBTaskResult

    from api.tasks import webhook_send

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["email", "default", "staff"],
        }
    }
    receiver.status = 500
    delivery = webhook_send_test(endpoint=endpoint).delivery
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert webhook_send.call(delivery.pk) == "500"
    queued = DBTaskResult.objects.get(task_path="api.tasks.webhook_send")
    delivery.refresh_from_db()
    assert queued.run_after == delivery.next_attempt_at
    assert webhook_send.call(delivery.pk) == "skipped"  # not due yet
