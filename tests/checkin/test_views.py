"""The scan page and its endpoints: who may use them, and what hostile input gets."""

import json

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from checkin.models import Scan

from .conftest import code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def door_staff(client, checkin_staff_group):
    user = User.objects.create_user("door", password="x", is_staff=True)
    user.groups.add(checkin_staff_group)
    client.force_login(user)
    return client


def post(client, entrance, body, **extra):
    return client.post(
        reverse("checkin:scan", kwargs={"pk": entrance.pk}),
        body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        **extra,
    )


def test_anonymous_is_sent_to_sign_in(client, north):
    for name in ["checkin:entrance", "checkin:search", "checkin:scan"]:
        response = client.get(reverse(name, kwargs={"pk": north.pk}))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert client.get(reverse("checkin:entrances")).status_code == 302


def test_staff_without_the_scan_right_is_refused(client, north, delegate):
    reviewer = User.objects.create_user("reviewer", password="x", is_staff=True)
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_participation", "review_participation"])
    )
    client.force_login(reviewer)
    assert client.get(reverse("checkin:entrance", kwargs={"pk": north.pk})).status_code == 403
    assert post(client, north, {"code": code_for(delegate)}).status_code == 403
    assert not Scan.objects.exists()


def test_check_in_staff_can_do_nothing_else(door_staff, checkin_staff_group):
    group = checkin_staff_group
    assert [p.codename for p in group.permissions.all()] == ["scan_badges"]
    assert (
        door_staff.get(reverse("admin:registrations_participation_changelist")).status_code == 403
    )
    assert door_staff.get(reverse("admin:checkin_scan_changelist")).status_code == 403


def test_scan_page_lists_and_scans(door_staff, north, delegate):
    listing = door_staff.get(reverse("checkin:entrances"))
    assert reverse("checkin:entrance", kwargs={"pk": north.pk}) in listing.text
    page = door_staff.get(reverse("checkin:entrance", kwargs={"pk": north.pk}))
    assert page.status_code == 200
    assert "jsqr/jsQR.js" in page.text
    assert "no-cache" in page["Cache-Control"]
    answer = post(door_staff, north, {"code": code_for(delegate), "nonce": "a" * 16}).json()
    assert answer["admitted"] is True
    assert answer["name"] == "王明 (Wang Ming)"
    again = post(door_staff, north, {"code": code_for(delegate)}).json()
    assert again["reason"] == "already_admitted"
    assert "North gate" in again["message"]
    assert Scan.objects.get(reason="admitted").by.username == "door"


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[1, 2]",
        "null",
        {},
        {"code": 5},
        {"delegate": "1"},
        {"delegate": -1},
        {"delegate": 2**70},
        {"code": "x", "nonce": "short"},
        {"code": "x", "nonce": "bad nonce with spaces"},
        {"code": "x", "scanned_at": "yesterday"},
        {"code": "x", "scanned_at": "2026-05-22T09:00:00"},
        {"code": "x", "device": ["a"]},
    ],
)
def test_malformed_scans_get_a_clear_400_and_store_nothing(door_staff, north, body):
    response = post(door_staff, north, body)
    assert response.status_code == 400
    assert response.json()["error"]
    assert not Scan.objects.exists()


def test_forged_code_through_the_endpoint(door_staff, north, delegate):
    code = code_for(delegate)
    forged = code[:-6] + ("A" * 6 if not code.endswith("A" * 6) else "B" * 6)
    answer = post(door_staff, north, {"code": forged}).json()
    assert answer["admitted"] is False
    assert answer["reason"] in {"forged", "unknown"}
    assert answer["title"]


def test_huge_code_is_cut_and_refused(door_staff, north):
    answer = post(door_staff, north, {"code": "VC1:" + "A" * 100_000}).json()
    assert answer["reason"] == "unknown"
    assert len(Scan.objects.get().code) == 300


def test_get_on_the_scan_endpoint_is_not_allowed(door_staff, north):
    assert door_staff.get(reverse("checkin:scan", kwargs={"pk": north.pk})).status_code == 405


def test_search_by_name_institution_and_digits(door_staff, north, delegate):
    delegate.mobile = "+86 138 0013 8000"
    delegate.save(update_fields=["mobile"])
    url = reverse("checkin:search", kwargs={"pk": north.pk})
    for query in [
        "王明",
        "wang",
        delegate.participation.organization.name_en[:8],
        "8000",
        "138000",
    ]:
        results = door_staff.get(url, {"q": query}).json()["results"]
        assert [row["id"] for row in results] == [delegate.pk], query
        assert "mobile" not in results[0]
        assert results[0]["mobile_end"] == "8000"
    assert door_staff.get(url, {"q": ""}).json()["results"] == []
    assert door_staff.get(url, {"q": "%"}).json()["results"] == []


def test_search_only_finds_this_editions_delegates(door_staff, north):
    from tests.factories import DelegateFactory

    DelegateFactory(name_en="Stranger")
    url = reverse("checkin:search", kwargs={"pk": north.pk})
    assert door_staff.get(url, {"q": "Stranger"}).json()["results"] == []


@pytest.mark.parametrize("count", [1, 15])
def test_search_query_count_does_not_grow(
    door_staff, north, delegate, count, django_assert_num_queries
):
    from tests.factories import DelegateFactory

    for _ in range(count):
        DelegateFactory(participation=delegate.participation, name_en="Wang Other")
    url = reverse("checkin:search", kwargs={"pk": north.pk})
    # Session, user, permissions (user and group), entrance, delegates.
    with django_assert_num_queries(6):
        door_staff.get(url, {"q": "wang"})
