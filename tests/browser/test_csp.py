"""The Content-Security-Policy blocks nothing the site itself needs (Chromium's console)."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PAGES = [
    "/en/",
    "/zh-hans/events/venture-capital-day-of-shenzhen-2024/",
    "/en/events/sample-upcoming-edition/register/",
    "/en/series/venture-capital-day-of-shenzhen/",
    "/admin/",
    "/admin/events/event/",
    "/admin/dashboard/",
    "/admin/organizations/organization/import/",
    "/admin/registrations/participation/export/",
]


@pytest.mark.django_db(transaction=True)
def test_no_page_reports_a_content_security_policy_violation(page, live_server, django_user_model):
    call_command("load_demo", verbosity=0)
    django_user_model.objects.create_superuser("boss", "boss@example.com", "s3cret-pass")
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    for path in PAGES:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
    blocked = [text for text in violations if "Content Security Policy" in text]
    assert blocked == []
