"""No public page, in either language, shows a registrant's e-mail address or phone number.

Builds the demo and a small scale data set, then follows every link within the site from
/en/ and /zh-hans/ (bounded), as a visitor or a search engine would.
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.cache import cache
from django.core.management import call_command

from organizations.models import Person
from registrations.models import Participation

pytestmark = pytest.mark.django_db

MAX_PAGES = 1500
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/")
HREF = re.compile(r"""href=["']([^"']+)["']""")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Crawl uncached pages, and leave no cached page (the sitemap's) to later tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_with_registrations():
    call_command("load_demo", verbosity=0)
    call_command(
        "generate_scale_data",
        institutions=60,
        editions=3,
        sessions=5,
        participations=200,
        agreements=20,
        verbosity=0,
    )


def _private_strings() -> set[str]:
    found = set()
    contacts = Participation.objects.values_list("contact_email", "contact_phone")
    people = Person.objects.values_list("email", "phone")
    for email, phone in [*contacts, *people]:
        if email:
            found.add(email.lower())
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 7:
            found.add(phone)
            found.add(digits)
            found.add(digits.removeprefix("86"))
    return found


def _crawl(client, starts: list[str]) -> dict[str, str]:
    pages, queue, seen = {}, deque(starts), set(starts)
    while queue and len(pages) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code in {200, 301, 302}, f"{path}: {response.status_code}"
        if response.status_code != 200:
            target = response["Location"]
            if target.startswith("/") and target not in seen:
                seen.add(target)
                queue.append(target)
            continue
        text = response.content.decode(response.charset or "utf-8", errors="replace")
        pages[path] = text
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(text):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(link)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith("/") or local.startswith(SKIPPED_PREFIXES):
                continue
            if local not in seen:
                seen.add(local)
                queue.append(local)
    return pages


def test_public_pages_show_no_registrant_contact_details(client, site_with_registrations):
    private = _private_strings()
    assert any(s.endswith("@scale.example.com") for s in private)
    assert Participation.objects.count() > 150

    pages = _crawl(client, ["/en/", "/zh-hans/", "/sitemap.xml", "/robots.txt"])

    assert len(pages) > 100, len(pages)
    assert any(path.startswith("/zh-hans/institutions/") for path in pages)
    assert any(path.startswith("/en/events/") and path.count("/") > 3 for path in pages)
    leaks = []
    for path, text in pages.items():
        lowered = text.lower()
        compact = re.sub(r"[\s\-()]", "", text)
        leaks += [(path, s) for s in private if s in lowered or (s.isdigit() and s in compact)]
    assert leaks == []
