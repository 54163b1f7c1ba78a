"""Every public endpoint runs the same number of queries with 10 and with 300 institutions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import grow

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/v1/series",
    "/api/v1/series/{series}",
    "/api/v1/series/{series}/open-data.json",
    "/api/v1/editions",
    "/api/v1/editions?when=past&q=Venture",
    "/api/v1/editions/{slug}",
    "/api/v1/editions/{slug}/institutions?limit=100",
    "/api/v1/editions/{slug}/institutions?q=Institution&kind=vc_firm",
    "/api/v1/institutions?limit=100",
    "/api/v1/institutions?q=Institution&kind=pe_firm",
    "/api/v1/institutions/{host}",
    "/api/v1/agreements?limit=100",
    "/api/v1/agreements?edition={slug}&kind=investment",
    "/api/v1/agreements/{agreement}",
    "/api/v1/agreements/{agreement}/progress",
    "/api/v1/editions/{slug}/outcomes",
    "/api/v1/series/{series}/outcomes",
]


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_query_count_does_not_grow_with_data(client, edition, endpoint):
    address = endpoint.format(
        slug=edition.event.slug,
        series=edition.event.series.slug,
        host=edition.host.slug,
        agreement=edition.agreement.pk,
    )
    grow(edition, 10)
    small = count_queries(client, address)
    grow(edition, 290)
    large = count_queries(client, address)
    assert small == large, f"{address}: {small} queries with 10 institutions, {large} with 300"
    # The series' open data is the largest: editions, agreements and parties, figures, the
    # computed totals and the follow-up (followup.selectors.outcome_rates reads two).
    assert large <= 13, f"{address}: {large} queries"
