"""Every public page runs the same number of queries with 10 and with 300 institutions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import grow

pytestmark = pytest.mark.django_db

PAGES = [
    "/{lang}/",
    "/{lang}/events/",
    "/{lang}/events/{slug}/",
    "/{lang}/events/{slug}/institutions/",
    "/{lang}/events/{slug}/institutions/?q=Institution&kind=vc_firm",
    "/{lang}/events/{slug}/calendar.ics",
    "/{lang}/series/{series}/",
    "/{lang}/institutions/",
    "/{lang}/institutions/?q=Institution",
    "/{lang}/institutions/{host}/",
    "/{lang}/agreements/",
    "/{lang}/agreements/{agreement}/",
    "/sitemap.xml",
]


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_query_count_does_not_grow_with_data(client, edition, page, lang):
    address = page.format(
        lang=lang,
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
    # 16: the edition page's outcomes of its agreements' follow-up take one query.
    assert large <= 16, f"{address}: {large} queries"
