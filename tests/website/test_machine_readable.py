"""The ics calendar, sitemap, robots.txt, JSON-LD and Open Graph tags."""

import datetime
import json
import re
import zoneinfo
from xml.etree import ElementTree

import pytest
from icalendar import Calendar

from organizations.models import Organization
from tests.factories import EventFactory
from website.sitemaps import OrganizationSitemap

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_calendar_has_the_all_day_edition_and_timed_sessions(client, edition):
    response = client.get(f"/en/events/{edition.event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Venture Capital Day of Shenzhen 2024",
        "AI and capital",
    ]
    whole_day, session = events
    assert whole_day.decoded("DTSTART") == datetime.date(2024, 5, 22)
    assert whole_day.decoded("DTEND") == datetime.date(2024, 5, 23)
    start = session.decoded("DTSTART")
    assert start.tzinfo is not None
    assert str(start.tzinfo) == "Asia/Shanghai"
    assert (start.hour, start.minute) == (14, 0)
    assert session.decoded("DTEND").astimezone(datetime.UTC).hour == 7
    assert "AI sub-venue" in str(session["LOCATION"])
    assert calendar.walk("VTIMEZONE")


def test_calendar_uses_beijing_time_when_times_known(client):
    event = EventFactory(
        slug="timed",
        start_date=datetime.date(2025, 5, 20),
        end_date=datetime.date(2025, 5, 20),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 30),
    )
    calendar = Calendar.from_ical(client.get(f"/zh-hans/events/{event.slug}/calendar.ics").content)
    (entry,) = calendar.walk("VEVENT")
    start = entry.decoded("DTSTART")
    assert start == datetime.datetime(2025, 5, 20, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert entry.decoded("DTEND").hour == 17


def test_sitemap_lists_pages_in_both_languages(client, edition):
    draft = EventFactory(is_published=False, slug="hidden-draft")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
    assert index.tag == f"{SITEMAP}sitemapindex"
    sections = [node.text for node in index.iter(f"{SITEMAP}loc")]
    assert "http://testserver/sitemap-institutions.xml" in sections
    locations, languages = [], set()
    for section in sections:
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200, section
        root = ElementTree.fromstring(response.content)  # noqa: S314 (our own sitemap)
        locations += [node.text for node in root.iter(f"{SITEMAP}loc")]
        languages |= {node.get("hreflang") for node in root.iter(f"{XHTML}link")}
    assert f"http://testserver/en/events/{edition.event.slug}/" in locations
    assert f"http://testserver/zh-hans/events/{edition.event.slug}/" in locations
    assert "http://testserver/zh-hans/institutions/luohu/" in locations
    assert f"http://testserver/en/agreements/{edition.agreement.pk}/" in locations
    assert not any(draft.slug in location for location in locations)
    assert {"en", "zh-hans", "x-default"} <= languages


def test_robots_txt_points_to_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    text = response.content.decode()
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_edition_page_has_event_json_ld_and_open_graph(client, edition):
    html = client.get(f"/en/events/{edition.event.slug}/").content.decode()
    (raw,) = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["name"] == "Venture Capital Day of Shenzhen 2024"
    assert data["startDate"] == "2024-05-22"
    assert data["location"]["address"]["addressLocality"] == "Beijing"
    assert data["organizer"][0]["name"] == "Luohu District People's Government"
    assert data["image"][0].startswith("http://testserver/")
    assert '<meta property="og:title" content="Venture Capital Day of Shenzhen 2024">' in html
    assert '<meta property="og:image" content="http://testserver/' in html
    assert '<link rel="canonical" href="http://testserver/en/events/vc-day-2024/">' in html
    assert (
        '<link rel="alternate" hreflang="zh-Hans" '
        'href="http://testserver/zh-hans/events/vc-day-2024/">' in html
    )


def test_json_ld_in_chinese_uses_chinese_title(client, edition):
    html = client.get(f"/zh-hans/events/{edition.event.slug}/").content.decode()
    (raw,) = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    data = json.loads(raw)
    assert data["name"] == "深圳创投日2024"
    assert data["inLanguage"] == "zh-hans"


def test_institution_sitemap_pages_are_id_ranges(client, edition):
    OrganizationSitemap.ids_per_page, saved = 2, OrganizationSitemap.ids_per_page
    try:
        public = list(Organization.objects.filter(is_public=True).order_by("pk"))
        index = client.get("/sitemap.xml").content.decode()
        pages = index.count("sitemap-institutions.xml")
        span = public[-1].pk - public[0].pk + 1
        assert pages == -(-span // 2)
        found = set()
        for page in range(1, pages + 1):
            response = client.get(f"/sitemap-institutions.xml?p={page}")
            assert response.status_code == 200
            found |= {o.slug for o in public if f"/en/institutions/{o.slug}/" in response.text}
        assert found == {o.slug for o in public}
        assert client.get(f"/sitemap-institutions.xml?p={pages + 1}").status_code == 404
    finally:
        OrganizationSitemap.ids_per_page = saved
