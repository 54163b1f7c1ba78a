"""Every public page runs the same number of queries with 10 and with 300 institutions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import HeadlineFigure
from tests.factories import (
    EventHostFactory,
    KeyFigureFactory,
    OrganizationFactory,
    PersonFactory,
    PhotoFactory,
)

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


def test_the_edition_page_reads_related_rows_with_their_rows_not_one_by_one(client, edition):
    """A host's institution, a figure's quoted person and their institution, its headline mark
    and a photo's venue come with their rows: a column left out of a read would be fetched
    again for each row."""
    event = edition.event
    address = event.get_absolute_url()
    before = count_queries(client, address)
    for _ in range(2):
        EventHostFactory(event=event, organization=OrganizationFactory(is_public=True))
        figure = KeyFigureFactory(
            series=None, event=event, reported_by=PersonFactory(), reported_by_position_en="Chair"
        )
        HeadlineFigure.objects.create(key_figure=figure)
        PhotoFactory(event=event, venue=edition.ai_venue)
    html = client.get(address).content.decode()
    assert html.count("Quoted: Person") == 2 + 2  # among the edition's figures and headlines
    assert count_queries(client, address) == before
