"""The public site in Chromium: a visitor's path through both languages, and layouts."""

import re

import pytest
from playwright.sync_api import expect

from devdata.demo import load_demo
from events.models import Agreement

pytestmark = pytest.mark.browser

EDITION = "/events/venture-capital-day-of-shenzhen-2024/"


@pytest.fixture
def demo(transactional_db):
    return load_demo()


@pytest.mark.django_db(transaction=True)
def test_visitor_browses_home_edition_venue_institution_agreement(page, live_server, demo):
    page.goto(f"{live_server.url}/en/")
    expect(page.locator("h1")).to_have_count(1)
    page.get_by_role("link", name="All editions").click()
    expect(page.locator("h1")).to_have_text("Editions")
    page.get_by_role("link", name="Venture Capital Day of Shenzhen 2024").click()
    expect(page).to_have_url(f"{live_server.url}/en{EDITION}")
    expect(page.locator("h1")).to_have_text("Venture Capital Day of Shenzhen 2024")

    # The AI sub-venue and its part of the agenda.
    venue = page.locator("article.venue-card", has_text="Artificial intelligence sub-venue")
    venue.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"#agenda-venue-\d+$"))
    target = page.locator(":target")
    expect(target).to_contain_text("Cutting-edge technologies such as artificial intelligence")
    expect(target).to_be_in_viewport()

    # Switch to Chinese: same page, Chinese interface.
    page.get_by_role("link", name="简体中文").click()
    expect(page).to_have_url(f"{live_server.url}/zh-hans{EDITION}")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("#agenda-heading")).to_have_text("议程")
    expect(page.locator("#venues")).to_contain_text("人工智能分会场")

    page.locator("#about").get_by_role("link", name="深圳市罗湖区人民政府").click()
    expect(page.locator("h1")).to_have_text("深圳市罗湖区人民政府")
    expect(page.locator("main")).to_contain_text("签约方")

    mou = Agreement.objects.get(event=demo)
    page.get_by_role("link", name=mou.title_zh_hans).click()
    expect(page).to_have_url(f"{live_server.url}/zh-hans/agreements/{mou.pk}/")
    expect(page.locator("h1")).to_have_text(mou.title_zh_hans)
    expect(page.locator("main")).to_contain_text("合作备忘录")
    expect(page.locator("main")).to_contain_text("人民网")

    # And back to English on the agreement itself.
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/agreements/{mou.pk}/")
    expect(page.locator("main")).to_contain_text("Memorandum of understanding")


PAGES = [
    "/",
    "/events/",
    EDITION,
    f"{EDITION}institutions/",
    "/series/venture-capital-day-of-shenzhen/",
    "/institutions/",
    "/institutions/luohu-district-peoples-government/",
    "/agreements/",
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_scrolls_sideways(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 800})
    mou = Agreement.objects.get(event=demo)
    for language in ("en", "zh-hans"):
        for path in [*PAGES, f"/agreements/{mou.pk}/"]:
            page.goto(f"{live_server.url}/{language}{path}")
            expect(page.locator("h1")).to_have_count(1)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            inner_width = page.evaluate("window.innerWidth")
            assert scroll_width <= inner_width, f"{language}{path} at {width}px: {scroll_width}"


@pytest.mark.django_db(transaction=True)
def test_edition_page_reads_without_javascript(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/en{EDITION}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_count(3)
    expect(page.get_by_role("link", name="简体中文")).to_be_visible()
    expect(page.locator("#agenda")).to_contain_text("Zuo Jinping")
    assert all(url.startswith(live_server.url) for url in requests), requests
    context.close()


@pytest.mark.django_db(transaction=True)
def test_focus_is_visible_on_links(page, live_server, demo):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
