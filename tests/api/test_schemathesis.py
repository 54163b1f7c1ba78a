"""Schemathesis over every endpoint of the schema, against the WSGI app (no server).

Each operation gets generated valid and invalid requests; every answer must not be a server
error and must conform to the schema (status code declared, content type, body, headers).
"""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import negative_data_rejection

from api.api import api

from .conftest import make_token

pytestmark = pytest.mark.django_db


# The schema as the API builds it (the same as /api/v1/openapi.json), called through WSGI.
# (schemathesis.pytest.from_fixture does not run under pytest 9.)
handler = get_wsgi_application()


def app(environ, start_response):
    """The WSGI app, keeping the test's database connection open (as Django's test client does:
    a request would otherwise close it at its end, and with it the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = handler(environ, start_response)
        body = list(result)
        result.close()
        return body
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = app


@pytest.fixture
def staff_token(edition, reviewer):
    """A review token, the seed-like edition and registrations to act on."""
    cache.clear()
    from tests.factories import ParticipationFactory

    ParticipationFactory.create_batch(3, event=edition.event)
    _token, raw = make_token(reviewer, can_review_registrations=True)
    return raw


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_endpoint_conforms(case, staff_token):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {staff_token}"},
        # Unknown query parameters are ignored on purpose (cache busters, tracking tags);
        # invalid values of known ones are refused (tests/api/test_public.py).
        excluded_checks=[negative_data_rejection],
    )
