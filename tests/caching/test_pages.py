"""Public pages come from the cache for anonymous visitors and are never stale."""

import datetime

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from organizations.models import OrganizerContact
from registrations import services
from registrations.models import Participation
from tests.factories import (
    AgreementFactory,
    EventFactory,
    EventHostFactory,
    OpenEventFactory,
    OrganizationFactory,
    ParticipationFactory,
    SessionFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return OpenEventFactory(title_en="Venture Capital Day", slug="vc-day")


def edition_url(event: Event) -> str:
    return f"/en/events/{event.slug}/"


def test_second_anonymous_request_runs_no_query(client, event, django_assert_num_queries):
    first = client.get(edition_url(event))
    with django_assert_num_queries(0):
        second = client.get(edition_url(event))
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "page",
    [
        "/en/",
        "/en/events/",
        "/en/events/vc-day/",
        "/en/events/vc-day/institutions/",
        "/en/events/vc-day/calendar.ics",
        "/en/institutions/",
        "/en/agreements/",
        "/sitemap.xml",
    ],
)
def test_every_public_page_is_cached(client, event, page, django_assert_num_queries):
    assert client.get(page).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(page).status_code == 200


def test_admin_edit_is_visible_on_the_next_anonymous_request(
    client, admin_client, event, django_capture_on_commit_callbacks
):
    assert "Venture Capital Day" in client.get(edition_url(event)).text
    assert "Venture Capital Day" in client.get("/en/events/").text

    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(admin_client.get(url).text, "event_form")
    data["title_en"] = ["Renamed Capital Day"]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, data)
    assert response.status_code == 302

    assert "Renamed Capital Day" in client.get(edition_url(event)).text
    assert "Renamed Capital Day" in client.get("/en/events/").text


def test_organizer_contact_edited_in_the_admin_shows_in_every_cached_footer(
    client, admin_client, event, django_capture_on_commit_callbacks
):
    contact = OrganizerContact.objects.create(name_en="Promotion Office", email="a@example.org")
    assert "a@example.org" in client.get(edition_url(event)).text
    assert "a@example.org" in client.get("/en/institutions/").text

    url = reverse("admin:organizations_organizercontact_change", args=[contact.pk])
    data = form_data(admin_client.get(url).text, "organizercontact_form")
    data["email"] = ["office@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    assert "office@example.org" in client.get(edition_url(event)).text
    assert "office@example.org" in client.get("/en/institutions/").text


def test_institution_renamed_in_the_admin_shows_on_edition_pages(
    client, admin_client, event, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(
        event=event,
        organization__name_en="Old Name Capital",
        status=Participation.Status.APPROVED,
        listed_publicly=True,
    )
    assert "Old Name Capital" in client.get(edition_url(event)).text
    organization = participation.organization

    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = form_data(admin_client.get(url).text, "organization_form")
    data["name_en"] = ["New Name Capital"]
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, data).status_code == 302

    page = client.get(edition_url(event)).text
    assert "New Name Capital" in page
    assert "Old Name Capital" not in page


def test_registration_approval_changes_the_institution_list_at_once(
    client, event, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(
        event=event, organization__name_en="Waiting Ventures", listed_publicly=True
    )
    institutions = f"/en/events/{event.slug}/institutions/"
    assert "Waiting Ventures" not in client.get(institutions).text
    assert "Waiting Ventures" not in client.get(edition_url(event)).text

    with django_capture_on_commit_callbacks(execute=True):
        services.participation_approve(participation=participation)

    assert "Waiting Ventures" in client.get(institutions).text
    assert "Waiting Ventures" in client.get(edition_url(event)).text
    assert "Waiting Ventures" in client.get("/en/institutions/").text


def test_a_change_to_one_edition_keeps_the_other_editions_pages(
    client, event, django_capture_on_commit_callbacks, django_assert_num_queries
):
    other = EventFactory(title_en="Other edition")
    client.get(edition_url(other))
    with django_capture_on_commit_callbacks(execute=True):
        SessionFactory(event=event, title_en="A new session")
    assert "A new session" in client.get(edition_url(event)).text
    with django_assert_num_queries(0):
        client.get(edition_url(other))


def test_stamps_change_when_the_transaction_commits(
    client, event, django_capture_on_commit_callbacks
):
    """Not before: a page rendered meanwhile would show the old rows under the new stamps."""
    client.get(edition_url(event))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Event.objects.filter(pk=event.pk).update(title_en="Committed Title")
        Event.objects.get(pk=event.pk).save()
    assert "Committed Title" not in client.get(edition_url(event)).text
    for callback in callbacks:
        callback()
    assert "Committed Title" in client.get(edition_url(event)).text


def test_bulk_writes_are_invalidated_by_the_command(client, event):
    assert "Bulk Title" not in client.get(edition_url(event)).text
    Event.objects.filter(pk=event.pk).update(title_en="Bulk Title")  # sends no signal
    assert "Bulk Title" not in client.get(edition_url(event)).text  # what the stamp is for
    call_command("invalidate_public_pages")
    assert "Bulk Title" in client.get(edition_url(event)).text


def test_generate_scale_data_invalidates_the_pages(client, db):
    sizes = {"institutions": 30, "editions": 2, "sessions": 4, "participations": 20}
    call_command("generate_scale_data", agreements=3, **sizes)
    Event.objects.filter(slug__startswith="scale-").update(title_en="Stale")
    assert "Stale" in client.get("/en/events/").text
    call_command("generate_scale_data", agreements=3, **sizes)
    assert "Stale" not in client.get("/en/events/").text


def test_load_demo_invalidates_the_pages(client, db):
    call_command("load_demo")
    Event.objects.filter(slug="venture-capital-day-of-shenzhen-2024").update(title_en="Stale")
    assert "Stale" in client.get("/en/events/").text
    call_command("load_demo")
    assert "Stale" not in client.get("/en/events/").text


def test_staff_never_get_a_cached_page(client, admin_client, event):
    client.get(edition_url(event))
    admin_client.get(edition_url(event))
    Event.objects.filter(pk=event.pk).update(title_en="Quietly Changed")  # no signal
    assert "Quietly Changed" in admin_client.get(edition_url(event)).text
    assert "Quietly Changed" not in client.get(edition_url(event)).text  # the cached copy


def test_staff_pages_are_not_stored(client, admin_client, event, django_assert_num_queries):
    draft = EventFactory(title_en="Draft edition", is_published=False, slug="draft")
    admin_client.get("/en/events/")
    admin_client.get(edition_url(draft))
    anonymous = client.get("/en/events/")
    assert "Draft edition" not in anonymous.text
    assert client.get(edition_url(draft)).status_code == 404


def test_post_is_never_served_from_cache(client, event):
    client.get(f"/en/events/{event.slug}/register/")
    response = client.post(f"/en/events/{event.slug}/register/", {})
    assert response.status_code == 200
    assert "This field is required" in response.text


def test_conditional_get_answers_304(client, event):
    first = client.get(edition_url(event))
    etag = first["ETag"]
    assert client.get(edition_url(event), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(edition_url(event), HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_calendar_answers_304(client, event):
    url = f"/en/events/{event.slug}/calendar.ics"
    first = client.get(url)
    assert first.status_code == 200
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert second.content == b""


def test_registration_form_with_csrf_token_is_never_cached(client, event):
    first = client.get(f"/en/events/{event.slug}/register/")
    token = first.cookies["csrftoken"].value
    other = Client()
    second = other.get(f"/en/events/{event.slug}/register/")
    assert "csrfmiddlewaretoken" in second.text
    assert second.cookies["csrftoken"].value != token


def test_a_cached_page_carries_no_csrf_token_or_cookie(client, event):
    client.get(edition_url(event))
    response = Client().get(edition_url(event))
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies


def test_status_page_is_never_cached(client, event, django_capture_on_commit_callbacks):
    participation = ParticipationFactory(event=event, contact_name="Private Person")
    url = participation.get_absolute_url()
    assert "Private Person" in client.get(url).text
    assert "no-store" in client.get(url)["Cache-Control"]
    Participation.objects.filter(pk=participation.pk).update(contact_name="Changed Person")
    assert "Changed Person" in client.get(url).text


def test_messages_of_one_visitor_never_reach_another(client, event):
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "Secret message for one visitor")
    carrier = HttpResponse()
    storage.update(carrier)
    with_message = Client()
    with_message.cookies[CookieStorage.cookie_name] = carrier.cookies[
        CookieStorage.cookie_name
    ].value

    assert "Secret message for one visitor" in with_message.get(edition_url(event)).text
    assert "Secret message for one visitor" not in client.get(edition_url(event)).text


def test_a_visitor_with_a_session_gets_a_fresh_page(client, event):
    client.get(edition_url(event))
    Event.objects.filter(pk=event.pk).update(title_en="Quietly Changed")  # no signal
    client.cookies["sessionid"] = "whatever"
    assert "Quietly Changed" in client.get(edition_url(event)).text


def test_registration_opening_is_shown_when_its_time_comes(client, db, settings):
    opens = timezone.now() + datetime.timedelta(seconds=2)
    event = EventFactory(
        registration_opens_at=opens, registration_closes_at=opens + datetime.timedelta(days=1)
    )
    assert "Registration not yet open" in client.get(edition_url(event)).text
    # The page is kept only until the moment registration opens.
    (key,) = [key for key in cache._cache if ":page:" in key]
    entry = cache.get(key.split(":", 2)[2])
    assert entry["valid_until"] == pytest.approx(opens.timestamp())


def test_admin_import_is_visible_on_the_next_anonymous_request(
    client, admin_client, event, django_capture_on_commit_callbacks
):
    from tests.organizations.test_import import _confirm, _csv, _preview

    host = EventHostFactory(event=event, organization__name_en="Imported Capital").organization
    page = f"/en/institutions/{host.slug}/"
    assert "Guangzhou" not in client.get(page).text

    preview = _preview(admin_client, _csv("Imported Capital,,vc_firm,,Guangzhou"))
    assert "Guangzhou" not in client.get(page).text  # the preview writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(admin_client, preview)

    assert "Guangzhou" in client.get(page).text


def test_a_row_moved_to_another_edition_leaves_the_old_page_too(
    client, event, django_capture_on_commit_callbacks
):
    other = EventFactory(title_en="Other edition", slug="other")
    agreement = AgreementFactory(event=event, title_en="Moving pact")
    assert "Moving pact" in client.get(edition_url(event)).content.decode()
    agreement.event = other
    with django_capture_on_commit_callbacks(execute=True):
        agreement.save()
    assert "Moving pact" not in client.get(edition_url(event)).content.decode()
    assert "Moving pact" in client.get(edition_url(other)).content.decode()


def test_hosts_added_through_the_relation_show_at_once(
    client, event, django_capture_on_commit_callbacks
):
    host = OrganizationFactory(name_en="Added Host Office")
    assert "Added Host Office" not in client.get(edition_url(event)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event.hosts.add(host, through_defaults={"role": "host"})
    assert "Added Host Office" in client.get(edition_url(event)).content.decode()


def _page_entries() -> int:
    return sum(1 for key in cache._cache if ":page:" in key)  # the local-memory cache's keys


@pytest.mark.parametrize(
    "page",
    [
        "/en/",
        "/en/events/vc-day/",
        "/en/events/vc-day/institutions/",
        "/en/institutions/",
        "/en/agreements/",
        "/sitemap.xml",
    ],
)
def test_query_parameters_the_view_does_not_read_make_no_new_entry(
    client, event, page, django_assert_num_queries
):
    first = client.get(page)
    assert first.status_code == 200
    entries = _page_entries()
    for number in range(30):
        with django_assert_num_queries(0):
            response = client.get(page, {"utm_source": number, "fbclid": "x" * 50})
        assert response.status_code == 200
        assert response.content == first.content
    assert _page_entries() == entries


def test_query_parameters_the_view_reads_still_make_their_own_pages(client, event):
    for name in ("Alpha Capital", "Beta Fund"):
        ParticipationFactory(
            event=event,
            organization__name_en=name,
            status=Participation.Status.APPROVED,
            listed_publicly=True,
        )
    page = "/en/events/vc-day/institutions/"
    everything = client.get(page).text
    alpha = client.get(page, {"q": "Alpha", "utm_source": "mail"}).text
    assert "Alpha Capital" in everything
    assert "Beta Fund" in everything
    assert "Alpha Capital" in alpha
    assert "Beta Fund" not in alpha
    assert "utm_source" not in alpha  # not carried into the page's links either
    assert client.get(page, {"utm_source": "x", "q": "Alpha"}).text == alpha
