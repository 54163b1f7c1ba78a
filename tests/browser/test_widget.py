"""The widget on a partner's plain page (another origin), and on this site's example page."""

import functools
import http.server
import threading

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PARTNER_PORT = 8142


@pytest.fixture
def partner_site(tmp_path, live_server):
    (tmp_path / "partner.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<style>body { font-family: 'Courier New', monospace; }</style></head><body>"
        "<div id='box' data-vcday-widget data-lang='zh-hans'></div>"
        f"<script src='{live_server.url}/static/js/widget.js' async></script>"
        "</body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PARTNER_PORT), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{PARTNER_PORT}/partner.html"
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_widget_on_a_partner_page(page, live_server, partner_site):
    call_command("load_demo", verbosity=0)
    page.goto(partner_site)
    button = page.wait_for_selector("[data-vcday-register]", timeout=15_000)
    assert button.inner_text() == "报名"
    assert button.get_attribute("href").startswith(f"{live_server.url}/zh-hans/events/")
    family = page.eval_on_selector("#box li", "el => getComputedStyle(el).fontFamily")
    assert "Courier New" in family


@pytest.mark.django_db(transaction=True)
def test_widget_example_page_under_the_sites_csp(page, live_server, tmp_path):
    call_command("load_demo", verbosity=0)
    console = []
    page.on("console", lambda message: console.append(message.text))
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/api/widget/")
        page.wait_for_selector("[data-vcday-widget][lang='en'] [data-vcday-register]")
        page.screenshot(path=tmp_path / f"widget-{width}.png", full_page=True)
    assert [text for text in console if "Content Security Policy" in text] == []
