"""An investor requests a meeting, the project accepts, both agendas show it with its table,
in English and in Chinese.

With MEETINGS_SCREENSHOTS=<folder>, the meetings pages are also saved there at 375 and 1280 px
in both languages.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.factories import MeetingRoundFactory, OpenEventFactory
from tests.meetings.conftest import side

pytestmark = pytest.mark.browser


def shoot(page, url: str, name: str) -> None:
    folder = os.environ.get("MEETINGS_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_investor_requests_project_accepts_both_agendas_show_the_table(page, live_server):
    event = OpenEventFactory(title_en="Venture Capital Day", title_zh_hans="创投日")
    MeetingRoundFactory(event=event, venue__name_en="Hall B", venue__name_zh_hans="B厅")
    investor, _people = side(event, "investor", name="Alpha Capital")
    project, _people = side(event, "project", name="Beta Robotics", language="zh-hans")
    project.organization.name_zh_hans = "贝塔机器人"
    project.organization.save()
    project.meeting_profile.pitch_zh_hans = "仓储机器人"
    project.meeting_profile.amount_sought_yuan = 30_000_000
    project.meeting_profile.save()
    base = live_server.url

    # The investor, in English, from the status page.
    page.goto(f"{base}/en/registrations/{investor.reference}/")
    page.get_by_role("link", name="Your meetings").click()
    page.get_by_role("link", name="Find projects to meet").click()
    expect(page.get_by_text("Beta Robotics")).to_be_visible()
    expect(page.get_by_text("30 million yuan")).to_be_visible()
    shoot(page, page.url, "browse-en")
    page.get_by_role("link", name="Request a meeting").click()
    shoot(page, page.url, "request-en")
    page.select_option("#id_slot", index=2)
    page.fill("#id_message", "We would like to hear about your robots.")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url(re.compile(r"/en/registrations/.+/meetings/$"))
    expect(page.get_by_text("Your request was sent.")).to_be_visible()

    # The project, in Chinese.
    page.goto(f"{base}/zh-hans/registrations/{project.reference}/")
    page.get_by_role("link", name="我的洽谈").click()
    expect(page.get_by_text("We would like to hear about your robots.")).to_be_visible()
    shoot(page, page.url, "requests-zh")
    page.get_by_role("button", name="接受").click()
    expect(page.get_by_text("洽谈已确认，在 1 号桌。")).to_be_visible()
    agenda = page.locator("#agenda-heading + ul")
    expect(agenda).to_contain_text("1 号桌")
    expect(agenda).to_contain_text("Alpha Capital")
    expect(agenda).to_contain_text("B厅")
    shoot(page, page.url, "agenda-zh")

    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.ACCEPTED
    assert meeting.table.number == 1

    # The investor's agenda, in both languages.
    page.goto(f"{base}/en/registrations/{investor.reference}/meetings/")
    agenda = page.locator("#agenda-heading + ul")
    expect(agenda).to_contain_text("Table 1")
    expect(agenda).to_contain_text("Beta Robotics")
    expect(agenda).to_contain_text("Hall B")
    shoot(page, page.url, "agenda-en")
    page.goto(f"{base}/zh-hans/registrations/{investor.reference}/meetings/")
    expect(page.locator("#agenda-heading + ul")).to_contain_text("1 号桌")
    expect(page.locator("#agenda-heading + ul")).to_contain_text("贝塔机器人")
    shoot(page, f"{base}/zh-hans/registrations/{investor.reference}/meetings/browse/", "browse-zh")
    shoot(
        page, f"{base}/zh-hans/registrations/{investor.reference}/meetings/profile/", "profile-zh"
    )
    shoot(page, f"{base}/en/registrations/{project.reference}/meetings/profile/", "profile-en")
    shoot(page, f"{base}/zh-hans/registrations/{investor.reference}/", "status-zh")
