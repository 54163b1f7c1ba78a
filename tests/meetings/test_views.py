import pytest
from django.urls import reverse

from meetings import services
from meetings.models import Meeting, MeetingPreference, MeetingProfile

from .conftest import side

pytestmark = pytest.mark.django_db


def url(name, participation, **kwargs):
    return reverse(f"meetings:{name}", kwargs={"reference": participation.reference, **kwargs})


def test_status_page_links_to_the_meetings(client, investor):
    page = client.get(investor[0].get_absolute_url())
    assert url("home", investor[0]) in page.text


def test_profile_form_saves_in_both_languages(client, event):
    participation, _people = side(event, "project", name="New Robotics")
    MeetingProfile.objects.filter(participation=participation).delete()
    response = client.post(
        url("profile", participation),
        {
            "side": "investor",
            "sectors": ["ai", "energy"],
            "stages": ["seed"],
            "ticket_min": "500",
            "ticket_max": "5000",
            "regions_zh_hans": "深圳",
            "regions_en": "Shenzhen",
            "pitch_zh_hans": "早期投资",
            "pitch_en": "Early stage",
        },
    )
    assert response.status_code == 302
    profile = MeetingProfile.objects.get(participation=participation)
    assert profile.sectors == ",ai,energy,"
    assert profile.ticket_min_yuan == 5_000_000
    assert (profile.pitch_zh_hans, profile.pitch_en) == ("早期投资", "Early stage")


def test_browse_filters_by_sector_and_shows_amounts_in_chinese(client, event, investor):
    wanted, _p = side(event, "project", name="Wanted Robotics")
    MeetingProfile.objects.filter(participation=wanted).update(
        sectors=",hardware,", amount_sought_yuan=30_000_000
    )
    side(event, "project", name="Other Biotech")
    page = client.get(
        url("browse", investor[0]).replace("/en/", "/zh-hans/"), {"sector": "hardware"}
    )
    assert "Wanted Robotics" in page.text
    assert "Other Biotech" not in page.text
    assert "3000万元" in page.text


def test_request_then_accept_through_the_pages(client, slots, investor, project):
    target = project[0].meeting_profile
    form = client.get(url("request", investor[0], profile_pk=target.pk))
    assert "Example Robotics" in form.text
    response = client.post(
        url("request", investor[0], profile_pk=target.pk),
        {
            "requester": investor[1][0].pk,
            "invitee": project[1][0].pk,
            "slot": slots[1].pk,
            "message": "Hello",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    home = client.get(url("home", project[0]))
    assert "Hello" in home.text
    client.post(url("answer", project[0], pk=meeting.pk), {"answer": "accept"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ACCEPTED
    agenda = client.get(url("home", investor[0]))
    assert "Table 1" in agenda.text
    ics = client.get(url("ics", investor[0]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"Example Robotics" in ics.content
    assert b"table 1" in ics.content


def test_someone_elses_meeting_is_not_found(client, event, slots, investor, project):
    meeting = services.meeting_request(
        requester=investor[1][0], invitee=project[1][0], slot=slots[0]
    )
    stranger, _p = side(event, "project", name="Stranger")
    response = client.post(url("cancel", stranger, pk=meeting.pk))
    assert response.status_code == 404
    assert Meeting.objects.get().status == Meeting.Status.PENDING


def test_preference_is_saved(client, investor, project):
    client.post(
        url("preference", investor[0], profile_pk=project[0].meeting_profile.pk), {"level": "3"}
    )
    assert MeetingPreference.objects.get().level == 3


@pytest.mark.parametrize("size", [2, 12])
def test_browse_query_count_is_constant(client, event, investor, django_assert_num_queries, size):
    for index in range(size):
        side(event, "project", name=f"Robotics {index}", delegates=2)
    client.get(url("browse", investor[0]))  # session and caches warm
    with django_assert_num_queries(8):
        page = client.get(url("browse", investor[0]))
    assert page.text.count("Request a meeting") >= size


@pytest.mark.parametrize("size", [1, 3])
@pytest.mark.usefixtures("event")
def test_home_query_count_is_constant(client, slots, investor, django_assert_num_queries, size):
    for index in range(size):
        proj = side(investor[0].event, "project", name=f"Robotics {index}")
        meeting = services.meeting_request(
            requester=investor[1][0], invitee=proj[1][0], slot=slots[index]
        )
        if index % 2 == 0:
            services.meeting_accept(meeting=meeting, participation=proj[0])
    with django_assert_num_queries(6):
        page = client.get(url("home", investor[0]))
    assert page.text.count("Robotics") >= size


def test_browse_shows_a_meeting_under_way_instead_of_a_request_button(
    client, slots, investor, project
):
    services.meeting_request(requester=investor[1][0], invitee=project[1][0], slot=slots[0])
    page = client.get(url("browse", investor[0]))
    assert "Meeting or request under way" in page.text
    assert url("request", investor[0], profile_pk=project[0].meeting_profile.pk) not in page.text
