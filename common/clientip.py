"""The client's address, the one definition every per-address rule uses.

The registration rate limit (``RATELIMIT_IP_META_KEY``) and the admin sign-in lock-out
(``AXES_CLIENT_IP_CALLABLE``) both call ``client_ip``. Directly on the internet it is
``REMOTE_ADDR``. Behind proxies, ``CLIENT_IP_HEADER`` names the request.META key of the header
the proxies set, and ``CLIENT_IP_PROXY_COUNT`` how many proxies append to it:

- ``HTTP_X_REAL_IP`` (one address, set by the proxy): that address.
- ``HTTP_X_FORWARDED_FOR`` (``client, proxy1, …``, each proxy appending who connected to it):
  the entry ``CLIENT_IP_PROXY_COUNT`` from the right, the one our own outermost proxy saw.
  Entries to its left come from the client and are not trusted, so rotating them changes
  nothing.

A missing or unreadable header falls back to ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """Return the address of the client that sent ``request``."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = settings.CLIENT_IP_HEADER
    if not header or not request.META.get(header):
        return remote
    entries = [entry for entry in request.META[header].split(",") if entry.strip()]
    count = max(settings.CLIENT_IP_PROXY_COUNT, 1)
    if len(entries) < count:
        return remote
    return _address(entries[-count]) or remote
