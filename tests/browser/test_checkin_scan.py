"""The scan page on a 375 px phone: a code typed as a USB scanner types it is admitted, a
second scan shows why it is refused, and scans made offline are sent once back online."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import expect

from checkin.models import CheckinList, Entrance, Scan
from registrations.models import Participation
from tests.checkin.conftest import code_for
from tests.factories import DelegateFactory, OpenEventFactory, ParticipationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(browser, live_server, django_user_model):
    user = django_user_model.objects.create_user("door", password="door-pass-123", is_staff=True)
    # Transactional tests empty the tables the migration filled: make the role again.
    group, _ = Group.objects.get_or_create(name="Check-in staff")
    group.permissions.set([Permission.objects.get(codename="scan_badges")])
    user.groups.add(group)
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "door")
    page.fill("#id_password", "door-pass-123")
    page.click("input[type=submit]")
    page.wait_for_load_state()
    yield page
    context.close()


@pytest.fixture
def setup():
    event = OpenEventFactory(title_en="Sample Day")
    gate = CheckinList.objects.create(event=event, name="Main gate")
    north = Entrance.objects.create(checkin_list=gate, name="North gate")
    participation = ParticipationFactory(event=event, status=Participation.Status.APPROVED)
    first = DelegateFactory(participation=participation, name_zh="王明", name_en="Wang Ming")
    second = DelegateFactory(participation=participation, name_zh="李华", name_en="Li Hua")
    return north, first, second


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: SCREENSHOT_DIR to keep them for looking at, else a temporary folder."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_typed_code_is_admitted_then_refused_with_the_reason(phone, live_server, setup, shots):
    north, first, _second = setup
    code = code_for(first)
    phone.goto(f"{live_server.url}/en/checkin/entrances/{north.pk}/")
    field = phone.locator("#code")
    expect(field).to_be_focused()
    # A USB scanner is a keyboard: it types the code and presses Enter.
    field.type(code)
    field.press("Enter")
    expect(phone.locator("#answer-title")).to_have_text("Admitted")
    expect(phone.locator("#answer-name")).to_have_text("王明 (Wang Ming)")
    expect(phone.locator("#answer")).to_have_class(
        "checkin-answer border rounded p-3 mb-3 admitted"
    )
    field.type(code)
    field.press("Enter")
    expect(phone.locator("#answer-title")).to_have_text("Already admitted")
    expect(phone.locator("#answer-message")).to_contain_text("North gate")
    expect(phone.locator("#answer")).to_have_class("checkin-answer border rounded p-3 mb-3 refused")
    phone.screenshot(path=shots / "checkin-scan-375.png", full_page=True)
    assert Scan.objects.filter(reason="admitted").count() == 1


def test_offline_scans_are_queued_and_sent_once_online(phone, live_server, setup):
    north, first, second = setup
    codes = [code_for(first), code_for(second)]
    phone.goto(f"{live_server.url}/en/checkin/entrances/{north.pk}/")
    phone.context.set_offline(True)
    field = phone.locator("#code")
    for code in codes:
        field.type(code)
        field.press("Enter")
        # Offline, the page checks the signature with the edition's public key.
        expect(phone.locator("#answer-title")).to_contain_text("signature checked offline")
    # A code altered by one character is refused on the spot, and still sent for the record.
    forged = codes[0][:-5] + ("AAAAA" if not codes[0].endswith("AAAAA") else "BBBBB")
    field.type(forged)
    field.press("Enter")
    expect(phone.locator("#answer-title")).to_have_text("Forged code")
    # The same badge twice on this phone while offline.
    field.type(codes[0])
    field.press("Enter")
    expect(phone.locator("#answer-title")).to_have_text(
        "Already scanned on this phone while offline"
    )
    expect(phone.locator("#queue-count")).to_have_text("4")
    expect(phone.locator("#network")).to_have_text("Offline")
    assert Scan.objects.count() == 0
    phone.context.set_offline(False)
    expect(phone.locator("#queue-count")).to_have_text("0", timeout=15000)
    assert Scan.objects.filter(reason="admitted").count() == 2
    # Sent exactly once each, though the page may have retried.
    assert Scan.objects.count() == 4
    assert sorted(Scan.objects.values_list("reason", flat=True)) == [
        "admitted",
        "admitted",
        "already_admitted",
        "forged",
    ]


def test_manual_search_by_last_digits_admits_a_walk_in(phone, live_server, setup, shots):
    north, first, _second = setup
    first.mobile = "+86 138 0013 8000"
    first.save(update_fields=["mobile"])
    phone.goto(f"{live_server.url}/zh-hans/checkin/entrances/{north.pk}/")
    phone.fill("#search", "8000")
    phone.locator("#search").press("Enter")
    phone.locator("#results button").first.click()
    expect(phone.locator("#answer-name")).to_have_text("王明（Wang Ming）")
    phone.screenshot(path=shots / "checkin-scan-375-zh.png", full_page=True)
    assert Scan.objects.get().source == "manual"
