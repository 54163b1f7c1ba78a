"""The API docs page renders Swagger UI from this site's files under the site's CSP."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_api_docs_render_and_fetch_the_seed_edition(page, live_server, tmp_path):
    call_command("load_demo", verbosity=0)
    console = []
    page.on("console", lambda message: console.append(message.text))
    outside = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert "/api/v1/editions/{slug}" in page.inner_text("#swagger-ui")
    page.screenshot(path=tmp_path / "api-docs-1280.png", full_page=False)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=tmp_path / "api-docs-375.png", full_page=False)
    assert [text for text in console if "Content Security Policy" in text] == []
    assert outside == []
