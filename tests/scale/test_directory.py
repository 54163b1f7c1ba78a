"""The directory at any depth: keyset pages, capped count, search in both languages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from organizations.models import Organization
from registrations.models import Participation
from tests.factories import EventFactory, OrganizationFactory, ParticipationFactory
from website import paging

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'rel="next" href="\?([^"]+)"')
PREV = re.compile(r'rel="prev" href="\?([^"]+)"')
SLUG = re.compile(r'href="/(?:en|zh-hans)/institutions/([\w-]+)/"')


def make_public(count: int, *, event=None, prefix: str = "firm") -> list[Organization]:
    event = event or EventFactory()
    made = []
    for n in range(count):
        organization = OrganizationFactory(
            name_en=f"Firm {n:03d}", name_zh_hans=f"机构{n:03d}", slug=f"{prefix}-{n:03d}"
        )
        ParticipationFactory(
            event=event,
            organization=organization,
            status=Participation.Status.APPROVED,
            listed_publicly=True,
        )
        made.append(organization)
    return made


def slugs(html: str) -> list[str]:
    return SLUG.findall(html)


def test_next_links_walk_every_public_institution_once_in_name_order(client, monkeypatch):
    monkeypatch.setattr("website.views.INSTITUTIONS_PER_PAGE", 7)
    made = make_public(30)
    OrganizationFactory(name_en="Firm hidden", slug="hidden")  # no public role
    seen, address, pages = [], "/en/institutions/", 0
    while True:
        html = client.get(address).content.decode()
        seen += slugs(html)
        pages += 1
        found = NEXT.search(html)
        if found is None:
            break
        address = "/en/institutions/?" + found.group(1).replace("&amp;", "&")
    public = Organization.objects.filter(is_public=True)  # with the series' organizer
    expected = [o.slug for o in sorted(public, key=lambda o: (o.name_en, o.pk))]
    assert {o.slug for o in made} <= set(seen)
    assert "hidden" not in seen
    assert seen == expected
    assert pages == 5
    # Back from the last page: the page before it.
    back = client.get("/en/institutions/?" + PREV.search(html).group(1)).content.decode()
    assert slugs(back) == expected[21:28]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_editions_pages_walk_forward_and_back_in_name_order(client, monkeypatch, language):
    monkeypatch.setattr("website.views.PARTICIPANTS_PER_PAGE", 7)
    event = EventFactory()
    made = make_public(17, event=event)
    made[4].parent = OrganizationFactory(name_en="Parent Group", slug="parent")
    made[4].save()
    address = f"/{language}/events/{event.slug}/institutions/"
    first = client.get(address).content.decode()
    second = client.get(address + "?" + NEXT.search(first).group(1)).content.decode()
    third = client.get(address + "?" + NEXT.search(second).group(1)).content.decode()
    expected = [o.slug for o in made]  # "Firm 000", "机构000" and on: one order in both
    assert [slugs(first), slugs(second), slugs(third)] == [
        expected[:7],
        expected[7:14],
        expected[14:],
    ]
    assert NEXT.search(third) is None
    back = client.get(address + "?" + PREV.search(third).group(1).replace("&amp;", "&"))
    assert slugs(back.content.decode()) == expected[7:14]
    assert "Parent Group" not in first


def test_a_cursor_gone_since_gives_the_first_page(client):
    make_public(3)
    html = client.get("/en/institutions/?after=999999").content.decode()
    assert slugs(html) == slugs(client.get("/en/institutions/").content.decode())
    assert len(slugs(html)) == 4  # and the series' organizer
    assert client.get("/en/institutions/?after=x").status_code == 200


def test_count_is_capped(client, monkeypatch):
    make_public(8)  # and the series' organizer
    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    assert "More than 5 institutions found." in client.get("/en/institutions/").content.decode()
    assert "找到超过 5 家机构。" in client.get("/zh-hans/institutions/").content.decode()
    assert "1 institution found." in client.get("/en/institutions/?q=Firm+001").content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("资", {"zi-ben", "zi-chan", "idg"}),
        ("资本", {"zi-ben"}),
        ("前海资本", {"zi-ben"}),
        ("海 资", set()),
        ("IDG", {"idg"}),
        ("idg资", {"idg"}),
        ("alpha", {"zi-ben"}),
        ("ALPHA cap", {"zi-ben"}),
    ],
)
def test_search_by_one_two_or_more_characters_in_either_language(client, query, expected):
    event = EventFactory()
    for slug, english, chinese in [
        ("zi-ben", "Alpha Capital", "前海资本"),
        ("zi-chan", "Beta Assets", "深圳资产管理"),
        ("idg", "Gamma Partners", "IDG资金"),
    ]:
        ParticipationFactory(
            event=event,
            organization=OrganizationFactory(name_en=english, name_zh_hans=chinese, slug=slug),
            status=Participation.Status.APPROVED,
            listed_publicly=True,
        )
    html = client.get("/zh-hans/institutions/", {"q": query}).content.decode()
    assert set(slugs(html)) == expected
    edition = client.get(f"/en/events/{event.slug}/institutions/", {"q": query}).content.decode()
    assert set(slugs(edition)) == expected


@pytest.mark.parametrize(
    "address",
    [
        "/en/institutions/?after={after}",
        "/zh-hans/institutions/?after={after}",
        "/en/institutions/?before={after}",
        "/zh-hans/institutions/?q=机构",
        "/en/events/{slug}/institutions/?after={participation}",
    ],
)
def test_deep_pages_run_the_same_queries_at_two_sizes(client, address):
    event = EventFactory()
    counts = []
    for size, prefix in [(12, "a"), (130, "b")]:
        made = make_public(size, event=event, prefix=prefix)
        anchor = made[len(made) // 2]
        participation = Participation.objects.get(organization=anchor)
        page = address.format(after=anchor.pk, slug=event.slug, participation=participation.pk)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_rows_show_the_parent_in_the_directory_only(client):
    event = EventFactory()
    parent = OrganizationFactory(name_en="Shenzhen Capital Group", name_zh_hans="")
    child, orphan = make_public(2, event=event)
    child.parent = parent
    child.save()
    html = client.get("/zh-hans/institutions/").content.decode()
    row = html[html.index(f"/institutions/{child.slug}/") :].split("</tr>")[0]
    # Chinese page, English-only parent: its name marked as English.
    assert '<br><span class="small text-body-secondary"><span lang="en">Shenzhen Capital' in row
    orphan_row = html[html.index(f"/institutions/{orphan.slug}/") :].split("</tr>")[0]
    assert "<br>" not in orphan_row
    edition = client.get(f"/en/events/{event.slug}/institutions/").content.decode()
    assert slugs(edition) == [child.slug, orphan.slug]
    assert "Shenzhen Capital Group" not in edition


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_page_reads_the_order_index_without_sorting(client, language):
    """SQLite matches the name order to its index only when the SQL spells it as the index
    does: with the empty string as a bound parameter, it sorted every public institution."""
    make_public(3)
    executed = []

    def record(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(f"/{language}/institutions/").status_code == 200
    sql, params = next((sql, params) for sql, params in executed if "LIMIT 51" in sql)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert f"USING INDEX organization_public_order_{language[:2]}" in plan
    assert "TEMP B-TREE" not in plan
