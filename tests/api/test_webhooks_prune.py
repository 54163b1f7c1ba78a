"""Old webhook messages that were delivered or given up are deleted; pending ones never."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType
from api.webhooks import webhook_deliveries_prune

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _delivery(endpoint, state, *, days_ago: int) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type=WebhookEventType.TEST,
        message_id=f"msg_{state}_{days_ago}",
        payload="{}",
        state=state,
        created_at=NOW - datetime.timedelta(days=days_ago),
    )
    WebhookAttempt.objects.create(delivery=delivery, status_code=204)
    return delivery


@pytest.fixture
def endpoint():
    return WebhookEndpoint.objects.create(url="https://hooks.example.org/in", event_types=[])


def test_finished_messages_older_than_the_retention_go_with_their_attempts(endpoint):
    state = WebhookDelivery.State
    old_delivered = _delivery(endpoint, state.SUCCEEDED, days_ago=91)
    old_failed = _delivery(endpoint, state.FAILED, days_ago=91)
    old_pending = _delivery(endpoint, state.PENDING, days_ago=91)
    recent = _delivery(endpoint, state.SUCCEEDED, days_ago=89)

    assert webhook_deliveries_prune(days=90, now=NOW) == 2

    kept = set(WebhookDelivery.objects.values_list("pk", flat=True))
    assert kept == {old_pending.pk, recent.pk}
    assert not WebhookAttempt.objects.filter(delivery__in=[old_delivered.pk, old_failed.pk])
    assert WebhookAttempt.objects.count() == 2


def test_command_uses_the_setting_and_can_be_turned_off(endpoint, settings):
    _delivery(endpoint, WebhookDelivery.State.SUCCEEDED, days_ago=40)
    out = StringIO()
    settings.WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    call_command("webhooks_prune", stdout=out)
    assert "1 webhook messages older than 30 days deleted." in out.getvalue()
    assert not WebhookDelivery.objects.exists()

    settings.WEBHOOK_DELIVERY_RETENTION_DAYS = None
    call_command("webhooks_prune", stdout=out)
    assert "off" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("webhooks_prune", days=0, stdout=out)
