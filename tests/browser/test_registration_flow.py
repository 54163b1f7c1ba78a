"""Register, get a receipt, staff approve in the admin, cancel, and see the next one promoted."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from registrations.models import Participation
from tests.factories import OpenEventFactory, VenueFactory

pytestmark = pytest.mark.browser


def register(page, base_url, event, *, name, email):
    page.goto(f"{base_url}/en/events/{event.slug}/register/")
    page.fill("#id_institution_name", name)
    page.select_option("#id_institution_kind", "vc_firm")
    page.fill("#id_city", "Shenzhen")
    page.fill("#id_contact_name", "Li Lei")
    page.fill("#id_contact_email", email)
    page.fill("#id_contact_phone", "+86 755 1234 5678")
    page.fill("#id_delegates", "1")
    page.get_by_label("AI sub-venue").check()
    page.check("#id_privacy_consent")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(re.compile(r"/en/registrations/[\w-]{32,}/$"))
    return Participation.objects.get(organization__name_en=name)


def approve_in_admin(page, base_url, participation):
    page.goto(f"{base_url}/admin/registrations/participation/")
    page.check(f"input[name=_selected_action][value='{participation.pk}']")
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()


@pytest.mark.django_db(transaction=True)
def test_registration_review_cancel_and_promotion(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("boss", "boss@example.com", "s3cret-pass")
    event = OpenEventFactory(title_en="Venture Capital Day", capacity=1)
    VenueFactory(event=event, name_en="AI sub-venue", capacity=5)
    base_url = live_server.url

    first = register(page, base_url, event, name="Alpha Capital", email="alpha@example.com")
    expect(page.locator("[data-status]")).to_have_text("Pending review")
    expect(page.get_by_text("a receipt was sent to alpha@example.com")).to_be_visible()
    first_status_url = page.url
    assert [message.to for message in mail.outbox] == [["alpha@example.com"]]
    assert first_status_url in mail.outbox[0].body.replace("http://127.0.0.1:8000", base_url)

    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "s3cret-pass")
    page.click("input[type=submit]")
    page.wait_for_url(f"{base_url}/admin/")
    approve_in_admin(page, base_url, first)
    expect(page.get_by_text("Approved (1): Alpha Capital")).to_be_visible()

    second = register(page, base_url, event, name="Beta Ventures", email="beta@example.com")
    approve_in_admin(page, base_url, second)
    expect(page.get_by_text("Put on the waiting list (1): Beta Ventures")).to_be_visible()
    expect(page.locator(".registration-usage").first).to_contain_text("Whole edition")

    page.goto(first_status_url)
    expect(page.locator("[data-status]")).to_have_text("Approved")
    page.get_by_role("link", name="Cancel this registration").click()
    page.get_by_role("button", name="Yes, cancel the registration").click()
    page.wait_for_url(first_status_url)
    expect(page.locator("[data-status]")).to_have_text("Cancelled")
    expect(page.get_by_role("link", name="Cancel this registration")).to_have_count(0)

    second.refresh_from_db()
    assert second.status == Participation.Status.APPROVED
    page.goto(f"{base_url}{second.get_absolute_url()}")
    expect(page.locator("[data-status]")).to_have_text("Approved")
    subjects = [message.subject for message in mail.outbox if message.to == ["beta@example.com"]]
    assert subjects[-1].startswith("A place is free")
