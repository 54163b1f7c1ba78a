"""Webhooks: messages to subscribed endpoints, signed per Standard Webhooks, retried with backoff.

A message is stored (``WebhookDelivery``) in the same transaction as the change it reports, so
it exists exactly when the change does (an outbox), and a task (``api.tasks.webhook_send``, on
the task queue of ``outbox``) is enqueued once that transaction commits; it makes one attempt
(``webhook_deliver``) and enqueues the next with ``run_after``. ``manage.py deliver_webhooks``
sends whatever is due and has no task (a lost worker, a queue without delayed tasks).

Each request carries ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` (``v1,``
and the base64 HMAC-SHA256 of ``id.timestamp.body`` under the endpoint's ``whsec_`` secret), as
standardwebhooks.com says.

An answer 2xx is success; 410 Gone disables the endpoint at once; anything else (or no answer)
is retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours, then given up. An endpoint
that fails WEBHOOK_DISABLE_AFTER_FAILURES times in a row is disabled. Redirects are not followed.
"""

import base64
import datetime
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEventType

logger = logging.getLogger(__name__)

BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
]
MAX_ATTEMPTS = len(BACKOFF) + 1
#: How long a claimed delivery is kept from other workers while its request runs.
LEASE = datetime.timedelta(minutes=2)
USER_AGENT = "vcday-webhooks/1"


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return the ``webhook-signature`` header value for a message."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def webhook_enqueue(*, event_type: str, data: dict | Callable[[], dict]) -> list[WebhookDelivery]:
    """Store a message for every active endpoint subscribed to ``event_type``.

    ``data`` may be a function, called only when some endpoint wants the message.
    """
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(is_active=True)
        if event_type in endpoint.event_types
    ]
    if not endpoints:
        return []
    now = timezone.now()
    if callable(data):
        data = data()
    deliveries = WebhookDelivery.objects.bulk_create(
        [_message(endpoint, event_type, data, now) for endpoint in endpoints]
    )
    from .tasks import webhook_send_on_commit

    for delivery in deliveries:
        webhook_send_on_commit(delivery.pk)
    return deliveries


def _message(endpoint: WebhookEndpoint, event_type: str, data: dict, now) -> WebhookDelivery:
    payload = {"type": event_type, "timestamp": now.isoformat(), "data": data}
    return WebhookDelivery(
        endpoint=endpoint,
        event_type=event_type,
        message_id=f"msg_{uuid.uuid4().hex}",
        payload=json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False),
        next_attempt_at=now,
        created_at=now,
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class AddressNotAllowedError(OSError):
    """The endpoint's host is a loopback, private, link-local or otherwise internal address."""


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return not ip.is_global or ip.is_multicast


def address_refusal(url: str) -> str:
    """Return why a webhook may not be sent to this address ("" when it may).

    Messages go only to hosts on the public internet: an address inside the organizer's network
    (the database, a metadata service, an admin panel on localhost) would let whoever manages
    webhooks make the server call it. WEBHOOK_ALLOW_PRIVATE_ADDRESSES=true lifts this (tests, a
    receiver on the same network on purpose).
    """
    if settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return ""
    host = urllib.parse.urlsplit(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return _("The host “%(host)s” cannot be found.") % {"host": host}
    internal = sorted(address for address in addresses if _is_internal(address))
    if internal:
        return _("“%(host)s” is an internal address (%(address)s); use a public one.") % {
            "host": host,
            "address": internal[0],
        }
    return ""


class _GuardedConnection:
    """Check the address actually connected to, before anything is sent: a name that resolved
    to a public address when the endpoint was saved may resolve to an internal one now."""

    def connect(self):
        super().connect()
        peer = self.sock.getpeername()[0]
        if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and _is_internal(peer):
            self.sock.close()
            raise AddressNotAllowedError(f"internal address {peer} refused")


class _GuardedHTTPConnection(_GuardedConnection, http.client.HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnection, http.client.HTTPSConnection):
    pass


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


_opener = urllib.request.build_opener(_NoRedirects, _GuardedHTTPHandler, _GuardedHTTPSHandler)


def _post(url: str, headers: dict[str, str], body: bytes) -> tuple[int | None, str]:
    """POST and return (status, error); status None when no answer came."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, str(reason)[:500] or type(error).__name__


def webhook_deliver(
    *, delivery: WebhookDelivery, now: datetime.datetime | None = None
) -> WebhookAttempt | None:
    """Make one attempt to send a due message; return it, or None if it is not due or taken."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery.pk,
        state=WebhookDelivery.State.PENDING,
        next_attempt_at__lte=now,
        endpoint__is_active=True,
    ).update(next_attempt_at=now + LEASE)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery.pk)
    endpoint = delivery.endpoint
    body = delivery.payload.encode()
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(
            secret=endpoint.secret, message_id=delivery.message_id, timestamp=timestamp, body=body
        ),
    }
    started = time.monotonic()
    status, error = _post(endpoint.url, headers, body)
    took = int((time.monotonic() - started) * 1000)
    return _record(delivery, endpoint, status=status, error=error, took=took, now=now)


def _record(delivery, endpoint, *, status, error, took, now) -> WebhookAttempt:
    ok = status is not None and 200 <= status < 300
    with transaction.atomic():
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, at=now, status_code=status, error=error, duration_ms=took
        )
        delivery.attempts += 1
        delivery.last_status_code = status
        delivery.last_error = error
        if ok:
            delivery.state = WebhookDelivery.State.SUCCEEDED
            delivery.next_attempt_at = None
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        else:
            gone = status == 410
            if gone or delivery.attempts >= MAX_ATTEMPTS:
                delivery.state = WebhookDelivery.State.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                consecutive_failures=F("consecutive_failures") + 1
            )
            endpoint.refresh_from_db(fields=["consecutive_failures"])
            if gone:
                webhook_endpoint_disable(endpoint=endpoint, reason="410 Gone")
            elif endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES:
                webhook_endpoint_disable(
                    endpoint=endpoint,
                    reason=f"{endpoint.consecutive_failures} failures in a row",
                )
        delivery.save(
            update_fields=["attempts", "last_status_code", "last_error", "state", "next_attempt_at"]
        )
    log = logger.info if ok else logger.warning
    log("Webhook %s to %s: %s", delivery.message_id, endpoint.url, status or error)
    return attempt


def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, reason: str) -> None:
    """Stop sending to an endpoint; its waiting messages are given up."""
    with transaction.atomic():
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
            is_active=False, disabled_reason=reason[:300]
        )
        WebhookDelivery.objects.filter(
            endpoint=endpoint, state=WebhookDelivery.State.PENDING
        ).update(state=WebhookDelivery.State.FAILED, next_attempt_at=None)
    logger.warning("Webhook endpoint %s disabled: %s", endpoint.url, reason)


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=True, disabled_reason="", consecutive_failures=0
    )


def webhook_send_test(*, endpoint: WebhookEndpoint) -> WebhookAttempt | None:
    """Send a test message to one endpoint now (the admin's "send test"), whatever it subscribes."""
    now = timezone.now()
    delivery = _message(
        endpoint, WebhookEventType.TEST, {"endpoint": endpoint.pk, "test": True}, now
    )
    delivery.save()
    return webhook_deliver(delivery=delivery, now=now)


def webhook_deliver_due(*, limit: int = 100, now: datetime.datetime | None = None) -> int:
    """Attempt every due message (up to ``limit``); return how many were attempted."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(
        state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now, endpoint__is_active=True
    ).order_by("next_attempt_at", "pk")[:limit]
    return sum(webhook_deliver(delivery=d, now=now) is not None for d in list(due))


def webhook_deliveries_prune(*, days: int, now: datetime.datetime | None = None) -> int:
    """Delete the delivered and given-up messages created more than ``days`` days ago, with
    their attempts; return how many messages. Pending ones stay, however old: they still go."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    finished = WebhookDelivery.objects.filter(created_at__lt=cutoff).exclude(
        state=WebhookDelivery.State.PENDING
    )
    return finished.delete()[1].get(WebhookDelivery._meta.label, 0)
