"""Middleware shared by the apps."""

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Seconds after which a client may try again.
RETRY_AFTER = 30


class DatabaseUnavailableMiddleware:
    """Answer with a translated 503 page when the database cannot be reached.

    A lost or refused database connection is an outage, not a bug in the page: the visitor
    learns that the site is briefly unavailable, and the broken connection is closed so the next
    request opens a new one. The page is rendered without context processors, which could
    themselves need the database.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable on %s %s", request.method, request.path, exc_info=True)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
