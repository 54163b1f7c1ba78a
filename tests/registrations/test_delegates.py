"""Named delegates: the service, the status page and the admin inline."""

import datetime

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from django.utils import timezone, translation

from organizations.models import Organization
from registrations import services
from registrations.models import Delegate, Participation
from tests.factories import (
    DelegateFactory,
    OrganizationFactory,
    ParticipationFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

Status = Participation.Status


def named(*names, venues=()):
    return [services.DelegateData(name_en=name, venues=tuple(venues)) for name in names]


def test_replace_sets_count_and_sub_venues_from_the_list(event, venue):
    other = VenueFactory(event=event, name_en="Fintech")
    participation = ParticipationFactory(event=event, delegates=5)
    participation.venues.set([other])
    delegates = [
        services.DelegateData(name_zh="王明", name_en="Wang Ming", venues=(venue,)),
        services.DelegateData(name_zh="李华", position="合伙人"),
    ]
    services.delegates_replace(participation=participation, delegates=delegates)
    participation.refresh_from_db()
    assert participation.delegates == 2
    assert list(participation.venues.all()) == [venue]
    stored = list(participation.delegate_list.all())
    assert [d.name for d in stored] == ["王明 (Wang Ming)", "李华"]
    assert list(stored[0].venues.all()) == [venue]
    assert list(stored[1].venues.all()) == []


def test_replace_updates_by_pk_removes_the_rest_and_keeps_category(event):
    participation = ParticipationFactory(event=event)
    kept = DelegateFactory(participation=participation, category=Delegate.Category.VIP)
    removed = DelegateFactory(participation=participation)
    services.delegates_replace(
        participation=participation,
        delegates=[services.DelegateData(pk=kept.pk, name_en="Renamed")],
    )
    kept.refresh_from_db()
    assert kept.name_en == "Renamed"
    assert kept.category == Delegate.Category.VIP
    assert not Delegate.objects.filter(pk=removed.pk).exists()


def test_replace_cannot_take_over_another_registrations_delegate(event):
    mine = ParticipationFactory(event=event)
    theirs = DelegateFactory(participation=ParticipationFactory(event=event), name_en="Theirs")
    services.delegates_replace(
        participation=mine, delegates=[services.DelegateData(pk=theirs.pk, name_en="Mine")]
    )
    theirs.refresh_from_db()
    assert theirs.name_en == "Theirs"
    assert theirs.participation_id != mine.pk
    assert mine.delegate_list.get().name_en == "Mine"


def test_new_delegates_get_the_institutions_category(event):
    government = OrganizationFactory(kind=Organization.Kind.GOVERNMENT)
    participation = ParticipationFactory(event=event, organization=government)
    services.delegates_replace(participation=participation, delegates=named("Official"))
    assert participation.delegate_list.get().category == Delegate.Category.OFFICIAL


def test_approved_registration_cannot_grow_beyond_free_places(event, venue):
    event.capacity = 3
    event.save(update_fields=["capacity"])
    participation = ParticipationFactory(event=event, delegates=2, status=Status.APPROVED)
    with pytest.raises(services.CapacityError, match="2 more"):
        services.delegates_replace(participation=participation, delegates=named("A", "B", "C", "D"))
    participation.refresh_from_db()
    assert participation.delegates == 2
    assert not participation.delegate_list.exists()
    services.delegates_replace(participation=participation, delegates=named("A", "B", "C"))
    participation.refresh_from_db()
    assert participation.delegates == 3


def test_a_full_sub_venue_refuses_a_delegate_newly_attending_it(event, venue):
    venue.capacity = 1
    venue.save(update_fields=["capacity"])
    ParticipationFactory(event=event, status=Status.APPROVED).venues.set([venue])
    participation = ParticipationFactory(event=event, status=Status.APPROVED)
    with pytest.raises(services.CapacityError, match="AI sub-venue"):
        services.delegates_replace(
            participation=participation, delegates=named("A", venues=[venue])
        )


def test_shrinking_the_list_promotes_from_the_waiting_list(event):
    event.capacity = 3
    event.save(update_fields=["capacity"])
    participation = ParticipationFactory(event=event, delegates=3, status=Status.APPROVED)
    waiting = ParticipationFactory(event=event, delegates=2, status=Status.WAITLISTED)
    services.delegates_replace(participation=participation, delegates=named("Only one"))
    waiting.refresh_from_db()
    assert waiting.status == Status.APPROVED


def test_sub_venue_of_another_edition_is_refused(event):
    participation = ParticipationFactory(event=event)
    with pytest.raises(services.InvalidVenueError):
        services.delegates_replace(
            participation=participation, delegates=named("A", venues=[VenueFactory()])
        )


def test_registrant_cannot_change_after_the_deadline_but_staff_can(event, admin_user):
    event.delegates_editable_until = timezone.now() - datetime.timedelta(minutes=1)
    event.save(update_fields=["delegates_editable_until"])
    participation = ParticipationFactory(event=event)
    with pytest.raises(services.RegistrationClosedError):
        services.delegates_replace(participation=participation, delegates=named("Late"))
    services.delegates_replace(participation=participation, delegates=named("Late"), by=admin_user)
    assert participation.delegate_list.count() == 1


def test_default_deadline_is_the_first_day(event):
    start = timezone.make_aware(datetime.datetime.combine(event.start_date, datetime.time()))
    assert event.delegates_editable(now=start - datetime.timedelta(seconds=1))
    assert not event.delegates_editable(now=start)


@pytest.mark.parametrize("status", [Status.CANCELLED, Status.REJECTED])
def test_closed_registration_cannot_change_its_delegates(event, status):
    participation = ParticipationFactory(event=event, status=status)
    with pytest.raises(services.TransitionError):
        services.delegates_replace(participation=participation, delegates=named("A"))


def test_registrant_is_limited_to_the_maximum(event, settings):
    settings.REGISTRATION_MAX_DELEGATES = 2
    participation = ParticipationFactory(event=event)
    with pytest.raises(services.CapacityError, match="At most 2"):
        services.delegates_replace(participation=participation, delegates=named("A", "B", "C"))


def test_empty_list_and_nameless_delegates_are_refused(event):
    participation = ParticipationFactory(event=event)
    with pytest.raises(services.RegistrationError):
        services.delegates_replace(participation=participation, delegates=[])
    with pytest.raises(services.RegistrationError, match="name"):
        services.delegates_replace(
            participation=participation, delegates=[services.DelegateData(name_zh="  ")]
        )


# The status page


def delegates_url(participation):
    return reverse("registrations:delegates", kwargs={"reference": participation.reference})


def management(total, initial=0):
    return {
        "delegates-TOTAL_FORMS": str(total),
        "delegates-INITIAL_FORMS": str(initial),
        "delegates-MIN_NUM_FORMS": "0",
        "delegates-MAX_NUM_FORMS": "200",
    }


def test_status_page_lists_delegates_and_links_to_editing(client, event):
    participation = ParticipationFactory(event=event)
    DelegateFactory(participation=participation, name_zh="王明", name_en="Wang Ming")
    page = client.get(participation.get_absolute_url()).content.decode()
    assert "王明 (Wang Ming)" in page
    assert delegates_url(participation) in page


def test_chinese_status_page_joins_a_delegates_details_in_chinese(client, event, venue):
    other = VenueFactory(event=event, name_en="Fintech sub-venue", name_zh_hans="金融科技分会场")
    participation = ParticipationFactory(event=event)
    delegate = DelegateFactory(
        participation=participation, name_zh="王明", name_en="", position="合伙人"
    )
    delegate.venues.set([venue, other])
    with translation.override("zh-hans"):
        page = client.get(participation.get_absolute_url()).content.decode()
    assert "王明，合伙人" in page
    ai, fintech = "人工智能分会场", "金融科技分会场"
    assert f"（{ai}、{fintech}）" in page or f"（{fintech}、{ai}）" in page


def test_registrant_names_delegates_on_the_status_page(client, event, venue):
    venue.capacity = 50
    venue.save(update_fields=["capacity"])
    participation = ParticipationFactory(event=event, delegates=3)
    page = client.get(delegates_url(participation))
    assert page.status_code == 200
    assert "50 of 50 places free" in page.text
    assert page["Cache-Control"].startswith("max-age=0")
    data = {
        **management(2),
        "delegates-0-name_zh": "王明",
        "delegates-0-name_en": "Wang Ming",
        "delegates-0-mobile": "＋86 138 0013 8000",
        "delegates-0-venues": [str(venue.pk)],
        "delegates-1-name_zh": "",
        "delegates-1-name_en": "",
    }
    response = client.post(delegates_url(participation), data)
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.delegates == 1
    delegate = participation.delegate_list.get()
    assert delegate.mobile == "+86 138 0013 8000"
    assert list(delegate.venues.all()) == [venue]


def test_status_page_form_keeps_what_was_typed_on_a_capacity_refusal(client, event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    participation = ParticipationFactory(event=event, status=Status.APPROVED)
    data = {
        **management(2),
        "delegates-0-name_en": "First",
        "delegates-1-name_en": "Second",
    }
    response = client.post(delegates_url(participation), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "would no longer fit" in page
    assert 'value="Second"' in page
    assert not participation.delegate_list.exists()


def test_status_page_refuses_a_bad_mobile_and_an_escapes_names(client, event):
    participation = ParticipationFactory(event=event)
    data = {
        **management(1),
        "delegates-0-name_en": "<script>alert(1)</script>",
        "delegates-0-mobile": "call me",
    }
    response = client.post(delegates_url(participation), data)
    assert response.status_code == 200
    assert "6 to 20 digits" in response.content.decode()
    data["delegates-0-mobile"] = ""
    client.post(delegates_url(participation), data)
    page = client.get(participation.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_status_page_refuses_a_forged_venue_and_a_huge_form(client, event, venue):
    participation = ParticipationFactory(event=event)
    foreign = VenueFactory()
    response = client.post(
        delegates_url(participation),
        {**management(1), "delegates-0-name_en": "A", "delegates-0-venues": [str(foreign.pk)]},
    )
    assert response.status_code == 200
    assert not participation.delegate_list.exists()
    response = client.post(delegates_url(participation), management(100_000))
    assert response.status_code == 200
    assert not participation.delegate_list.exists()


def test_editing_after_the_deadline_redirects_to_the_status_page(client, event):
    event.delegates_editable_until = timezone.now() - datetime.timedelta(hours=1)
    event.save(update_fields=["delegates_editable_until"])
    participation = ParticipationFactory(event=event)
    response = client.post(
        delegates_url(participation), {**management(1), "delegates-0-name_en": "A"}
    )
    assert response.status_code == 302
    assert not participation.delegate_list.exists()
    assert delegates_url(participation) not in client.get(participation.get_absolute_url()).text


def test_unknown_reference_is_404(client):
    response = client.get(reverse("registrations:delegates", kwargs={"reference": "nope"}))
    assert response.status_code == 404


# The admin inline


def inline_data(participation, rows, initial=0):
    data = {
        "contact_name": participation.contact_name,
        "contact_position": "",
        "contact_email": participation.contact_email,
        "contact_phone": "",
        "delegates": str(participation.delegates),
        "language": "en",
        "delegate_list-TOTAL_FORMS": str(len(rows)),
        "delegate_list-INITIAL_FORMS": str(initial),
        "delegate_list-MIN_NUM_FORMS": "0",
        "delegate_list-MAX_NUM_FORMS": "1000",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "email_deliveries-TOTAL_FORMS": "0",
        "email_deliveries-INITIAL_FORMS": "0",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"delegate_list-{index}-{key}"] = value
        data[f"delegate_list-{index}-participation"] = str(participation.pk)
    return data


def admin_url(participation):
    return reverse("admin:registrations_participation_change", args=[participation.pk])


def test_staff_add_delegates_in_the_admin_through_the_service(admin_client, event, venue):
    participation = ParticipationFactory(event=event, delegates=4)
    rows = [
        {"name_zh": "王明", "category": "vip", "venues": [str(venue.pk)]},
        {"name_en": "Ann Lee", "category": "investor"},
    ]
    response = admin_client.post(admin_url(participation), inline_data(participation, rows))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    participation.refresh_from_db()
    assert participation.delegates == 2
    assert list(participation.venues.all()) == [venue]
    assert sorted(participation.delegate_list.values_list("category", flat=True)) == [
        "investor",
        "vip",
    ]
    # The count now follows the list: the form shows it read-only.
    page = admin_client.get(admin_url(participation)).text
    assert 'name="delegates"' not in page


def test_admin_refuses_delegates_beyond_capacity_and_saves_nothing(admin_client, event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    participation = ParticipationFactory(event=event, status=Status.APPROVED)
    rows = [{"name_en": "A", "category": "guest"}, {"name_en": "B", "category": "guest"}]
    response = admin_client.post(admin_url(participation), inline_data(participation, rows))
    assert response.status_code == 200
    assert "would no longer fit" in response.text
    assert not participation.delegate_list.exists()


def test_reviewer_without_change_rights_cannot_edit_delegates(client, event):
    reviewer = User.objects.create_user("reviewer", password="x", is_staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_participation", "review_participation"])
    )
    client.force_login(reviewer)
    participation = ParticipationFactory(event=event)
    rows = [{"name_en": "A", "category": "guest"}]
    client.post(admin_url(participation), inline_data(participation, rows))
    assert not participation.delegate_list.exists()
