import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from organizations.models import Organization
from registrations.models import Participation
from tests.factories import OrganizationFactory, ParticipationFactory, VenueFactory

from .conftest import VALID_USCC

pytestmark = pytest.mark.django_db


def url(event, language="en"):
    with translation.override(language):
        return reverse("registrations:register", kwargs={"slug": event.slug})


def form_data(venue=None, **overrides):
    data = {
        "institution_name": "Example Capital",
        "institution_kind": "vc_firm",
        "uscc": "",
        "city": "Shenzhen",
        "website": "https://example.com",
        "contact_name": "Li Lei",
        "contact_position": "Partner",
        "contact_email": "li@example.com",
        "contact_phone": "+86 755 1234 5678",
        "delegates": "2",
        "listed_publicly": "on",
        "privacy_consent": "on",
        "homepage": "",
    }
    if venue is not None:
        data["venues"] = [str(venue.pk)]
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def institution_rows():
    return Organization.objects.exclude(organized_series__isnull=False).count()


def test_register_page_offers_only_this_editions_sub_venues(client, event, venue):
    VenueFactory(event=event, kind="main", name_en="Main hall")
    VenueFactory(name_en="Elsewhere")
    response = client.get(url(event))
    content = response.content.decode()
    assert response.status_code == 200
    assert "AI sub-venue" in content
    assert "Main hall" not in content
    assert "Elsewhere" not in content
    assert reverse("registrations:privacy") in content
    assert 'name="homepage"' in content


def test_register_valid_post_creates_and_redirects_to_status(
    client, event, venue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(event), form_data(venue))
    participation = Participation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == participation.get_absolute_url()
    assert participation.organization.name == "Example Capital"
    assert participation.organization.website == "https://example.com"
    assert participation.delegates == 2
    assert list(participation.venues.all()) == [venue]
    assert participation.listed_publicly is True
    assert participation.status == Participation.Status.PENDING
    assert len(mail.outbox) == 1
    assert participation.reference in mail.outbox[0].body


def test_register_in_chinese_stores_language(client, event):
    client.post(url(event, "zh-hans"), form_data())
    assert Participation.objects.get().language == "zh-hans"


def test_register_uscc_is_normalized_before_checking(client, event):
    client.post(url(event), form_data(uscc=" 9111 0000 6000 3734 1l "))
    assert Participation.objects.get().organization.uscc == VALID_USCC


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("institution_name", ""),
        ("institution_name", "x" * 201),
        ("institution_kind", "spaceship"),
        ("uscc", "91110000600037341"),  # 17 characters
        ("uscc", "9111000060003734100"),  # 19 characters
        ("uscc", "91110000600037341I"),  # I is not used
        ("uscc", "91110000600037341M"),  # wrong check character
        ("uscc", "<script>alert(1)</script>"),
        ("city", ""),
        ("city", "c" * 101),
        ("website", "javascript:alert(1)"),
        ("website", "not a url"),
        ("contact_name", ""),
        ("contact_name", "n" * 101),
        ("contact_position", "p" * 101),
        ("contact_email", "li@"),
        ("contact_email", "li example.com"),
        ("contact_email", "<script>@example.com"),
        ("contact_phone", ""),
        ("contact_phone", "call me"),
        ("contact_phone", "123"),
        ("contact_phone", "+86 755 1234 5678 <b>"),
        ("contact_phone", "1" * 41),
        ("delegates", "0"),
        ("delegates", "-3"),
        ("delegates", "21"),
        ("delegates", "99999999999999999999999"),
        ("delegates", "two"),
        ("delegates", ""),
        ("privacy_consent", None),
        ("institution_name", "bad\x00byte"),
    ],
)
def test_register_bad_input_gets_field_error_and_saves_nothing(client, event, field, value):
    response = client.post(url(event), form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="invalid-feedback' in response.content.decode()
    assert not Participation.objects.exists()
    assert institution_rows() == 0


def test_register_sub_venue_of_other_edition_refused(client, event, venue):
    foreign = VenueFactory()
    response = client.post(url(event), form_data(venues=[str(venue.pk), str(foreign.pk)]))
    assert "venues" in response.context["form"].errors
    assert not Participation.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-1", "1; DROP TABLE", "99999999999999999999"])
def test_register_malformed_sub_venue_id_refused(client, event, venue, value):
    response = client.post(url(event), form_data(venues=[value]))
    assert response.status_code == 200
    assert "venues" in response.context["form"].errors
    assert not Participation.objects.exists()


def test_register_bad_input_error_in_chinese(client, event):
    response = client.post(url(event, "zh-hans"), form_data(contact_email="li@"))
    # Django's own catalogue translates the e-mail error.
    assert "输入一个有效的 Email 地址。" in response.content.decode()


def test_register_markup_is_stored_as_text_and_shown_escaped(client, event):
    script = "<script>alert('x')</script>"
    client.post(url(event), form_data(institution_name=f"Evil {script}", contact_name=script))
    participation = Participation.objects.get()
    assert participation.organization.name == f"Evil {script}"
    assert participation.contact_name == script
    content = client.get(participation.get_absolute_url()).content.decode()
    assert script not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content


def test_register_double_submit_same_browser_leads_to_existing(client, event):
    first = client.post(url(event), form_data())
    second = client.post(url(event), form_data())
    participation = Participation.objects.get()
    assert first["Location"] == second["Location"] == participation.get_absolute_url()


def test_register_duplicate_from_elsewhere_explains_how_to_find_it(client, event):
    existing = ParticipationFactory(
        event=event,
        organization=OrganizationFactory(name_en="Example Capital Co., Ltd."),
        contact_email="li@example.com",  # the same person, from another browser
    )
    response = client.post(url(event), form_data(institution_name="EXAMPLE CAPITAL LIMITED"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "already registered" in content
    assert reverse("registrations:find", kwargs={"slug": event.slug}) in content
    assert existing.reference not in content
    assert Participation.objects.count() == 1


def test_register_honeypot_saves_nothing(client, event):
    response = client.post(url(event), form_data(homepage="http://spam.example"))
    assert response.status_code == 200
    assert "homepage" in response.context["form"].errors
    assert not Participation.objects.exists()


@pytest.mark.parametrize(("opens", "closes"), [(1, 10), (-10, -1), (None, None)])
def test_register_outside_window_explains_and_post_changes_nothing(client, event, opens, closes):
    now = timezone.now()
    event.registration_opens_at = None if opens is None else now + datetime.timedelta(days=opens)
    event.registration_closes_at = None if closes is None else now + datetime.timedelta(days=closes)
    event.save()
    page = client.get(url(event))
    posted = client.post(url(event), form_data())
    assert page.status_code == 200
    assert 'name="institution_name"' not in page.content.decode()
    assert posted.status_code == 403
    expected = {(1, 10): "opens on", (-10, -1): "closed on", (None, None): "does not take"}
    assert expected[(opens, closes)] in page.content.decode()
    assert not Participation.objects.exists()
    assert institution_rows() == 0


def test_register_draft_edition_is_404(client, event):
    event.is_published = False
    event.save()
    assert client.get(url(event)).status_code == 404
    assert client.post(url(event), form_data()).status_code == 404


def test_register_rate_limit_answers_translated_429_and_keeps_the_input(client, event, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/m"
    for index in range(2):
        client.post(url(event), form_data(institution_name=f"Firm {index}"))
    response = client.post(url(event, "zh-hans"), form_data(institution_name="Firm 3"))
    assert response.status_code == 429
    assert response.context["LANGUAGE_CODE"] == "zh-hans"
    assert 'lang="zh-hans"' in response.content.decode().lower()
    assert 'value="Firm 3"' in response.content.decode()
    assert Participation.objects.count() == 2


def test_register_rate_limit_does_not_count_corrections(client, event, settings):
    settings.REGISTRATION_RATE_LIMIT = "2/m"
    for _ in range(5):
        invalid = client.post(url(event), form_data(contact_email="not-an-address"))
        assert invalid.status_code == 200
    response = client.post(url(event), form_data(institution_name="Firm after typos"))
    assert response.status_code == 302
    assert Participation.objects.filter(organization__name_en="Firm after typos").exists()


def test_status_page_shows_registration_but_no_contact_details(client, event, venue):
    participation = ParticipationFactory(event=event, delegates=3, contact_phone="+86 10 5555")
    participation.venues.set([venue])
    response = client.get(participation.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert participation.organization.name in content
    assert "AI sub-venue" in content
    assert "Pending review" in content
    assert participation.contact_email not in content
    assert participation.contact_phone not in content
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_status_page_unknown_reference_is_404(client, event):
    ParticipationFactory(event=event)
    assert client.get("/en/registrations/not-a-reference/").status_code == 404
    assert client.post("/en/registrations/not-a-reference/cancel/").status_code == 404


def test_status_page_in_chinese_shows_chinese_venue_names(client, event, venue):
    participation = ParticipationFactory(event=event)
    participation.venues.set([venue])
    with translation.override("zh-hans"):
        response = client.get(participation.get_absolute_url())
    assert "人工智能分会场" in response.content.decode()


def test_cancel_asks_for_confirmation_on_get(client, event):
    participation = ParticipationFactory(event=event)
    cancel_url = reverse("registrations:cancel", kwargs={"reference": participation.reference})
    response = client.get(cancel_url)
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PENDING


def test_cancel_post_cancels_and_promotes(client, event):
    event.capacity = 1
    event.save()
    approved = ParticipationFactory(event=event, status=Participation.Status.APPROVED)
    waiting = ParticipationFactory(event=event, status=Participation.Status.WAITLISTED)
    cancel_url = reverse("registrations:cancel", kwargs={"reference": approved.reference})
    response = client.post(cancel_url)
    assert response["Location"] == approved.get_absolute_url()
    approved.refresh_from_db()
    waiting.refresh_from_db()
    assert approved.status == Participation.Status.CANCELLED
    assert waiting.status == Participation.Status.APPROVED


def test_cancel_without_csrf_token_refused(event):
    participation = ParticipationFactory(event=event)
    client = Client(enforce_csrf_checks=True)
    cancel_url = reverse("registrations:cancel", kwargs={"reference": participation.reference})
    assert client.post(cancel_url).status_code == 403
    participation.refresh_from_db()
    assert participation.status == Participation.Status.PENDING


def test_register_post_without_csrf_token_refused(event):
    client = Client(enforce_csrf_checks=True)
    assert client.post(url(event), form_data()).status_code == 403
    assert not Participation.objects.exists()


def test_find_sends_status_link_only_to_registered_address(
    client, event, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(event=event, contact_email="li@example.com")
    find_url = reverse("registrations:find", kwargs={"slug": event.slug})
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(find_url, {"email": "LI@example.com"}, follow=True)
        unknown = client.post(find_url, {"email": "nobody@example.com"}, follow=True)
    assert known.content.decode().count("its way") == unknown.content.decode().count("its way")
    assert [message.to for message in mail.outbox] == [["li@example.com"]]
    assert participation.reference in mail.outbox[0].body


def test_privacy_notice_page(client):
    response = client.get(reverse("registrations:privacy"))
    assert response.status_code == 200
    assert "Contact details are never shown on public pages" in response.content.decode()


@pytest.mark.parametrize("venue_count", [1, 6])
def test_status_page_query_count_does_not_grow_with_venues(
    client, event, venue_count, django_assert_num_queries
):
    participation = ParticipationFactory(event=event)
    participation.venues.set(VenueFactory.create_batch(venue_count, event=event))
    # The registration with its edition, series, institution and any erasure request; its
    # sub-venues; the organizer contact in the footer.
    with django_assert_num_queries(3):
        assert client.get(participation.get_absolute_url()).status_code == 200


def test_register_accepts_a_website_without_scheme(client, event):
    page = client.get(url(event)).content.decode()
    assert 'type="url"' not in page  # the browser would refuse "example.com" by itself
    response = client.post(url(event), form_data(website="qa-capital.example.com"))
    assert response.status_code == 302
    assert Participation.objects.get().organization.website == "https://qa-capital.example.com"


def test_register_form_shows_places_free_per_sub_venue(client, event):
    roomy = VenueFactory(event=event, name_en="Roomy", capacity=10)
    full = VenueFactory(event=event, name_en="Packed", capacity=2)
    taken = ParticipationFactory(event=event, delegates=2, status=Participation.Status.APPROVED)
    taken.venues.set([roomy, full])
    ParticipationFactory(event=event, delegates=5).venues.set([roomy])  # pending: holds nothing
    page = client.get(url(event)).content.decode()
    assert "Roomy (8 of 10 places free)" in page
    assert "Packed (full: you would join the waiting list)" in page
