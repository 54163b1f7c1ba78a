"""The API app's tasks (``outbox.tasks``): one attempt to send a webhook message."""

from outbox.tasks import enqueue_on_commit, task


@task(queue_name="default")
def webhook_send(delivery_pk: int) -> str:
    """Make one attempt to send a message; schedule the next one if it failed.

    Idempotent: a message that is not due or taken by another worker is "skipped".
    """
    from .models import WebhookDelivery
    from .webhooks import webhook_deliver

    delivery = WebhookDelivery.objects.filter(pk=delivery_pk).first()
    if delivery is None:
        return "gone"
    attempt = webhook_deliver(delivery=delivery)
    if attempt is None:
        return "skipped"
    delivery.refresh_from_db(fields=["state", "next_attempt_at"])
    if (
        delivery.state == WebhookDelivery.State.PENDING
        and webhook_send.get_backend().supports_defer
    ):
        webhook_send.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return str(attempt.status_code or attempt.error)


def webhook_send_on_commit(delivery_pk: int) -> None:
    enqueue_on_commit(webhook_send, delivery_pk)
