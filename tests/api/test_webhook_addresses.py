"""Webhooks reach only public addresses: the admin refuses an internal one, and a send checks
the address it actually connected to (a name may resolve elsewhere later)."""

import http.server
import threading

import pytest
from django.urls import reverse

from api import webhooks
from api.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def guard(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
    ],
)
def test_internal_addresses_are_refused_with_a_reason(guard, url):
    assert "internal address" in webhooks.address_refusal(url)


def test_public_address_is_allowed(guard):
    assert (
        webhooks.address_refusal("https://203.0.113.7/hook".replace("203.0.113.7", "1.1.1.1")) == ""
    )


def test_unknown_host_is_refused(guard):
    assert "cannot be found" in webhooks.address_refusal("https://no-such-host.invalid/hook")


def test_admin_refuses_an_internal_endpoint(guard, admin_client):
    response = admin_client.post(
        reverse("admin:api_webhookendpoint_add"),
        {"url": "http://127.0.0.1:5432/", "description": "db", "event_types": ["edition.updated"]},
    )
    assert response.status_code == 200
    assert "is an internal address (127.0.0.1); use a public one." in response.text
    assert not WebhookEndpoint.objects.exists()


def test_send_to_a_name_now_resolving_inside_is_stopped_before_anything_is_sent(guard):
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = WebhookEndpoint.objects.create(
            url=f"http://127.0.0.1:{server.server_address[1]}/hook", event_types=["test"]
        )
        attempt = webhooks.webhook_send_test(endpoint=endpoint)
    finally:
        server.shutdown()
        server.server_close()
    assert received == []
    assert attempt.status_code is None
    assert "internal address 127.0.0.1 refused" in attempt.error
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.PENDING
