import datetime
import re

import pytest
from django.utils import timezone

from api.models import ApiToken, IdempotencyRecord, token_hash
from registrations.models import Participation, StatusChange
from tests.factories import EventFactory, ParticipationFactory

from .conftest import make_token

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def pending(edition):
    return ParticipationFactory(event=edition.event, contact_email="cfo@example.com")


def test_list_registrations_with_read_token(client, read_token, pending):
    _token, raw = read_token
    response = client.get("/api/v1/staff/registrations?status=pending", **bearer(raw))
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["contact_email"] for item in items] == ["cfo@example.com"]
    assert response["Cache-Control"] == "private, no-cache"
    assert "Access-Control-Allow-Origin" not in response


def test_read_token_cannot_approve(client, read_token, pending):
    _token, raw = read_token
    response = client.post(f"/api/v1/staff/registrations/{pending.pk}/approve", **bearer(raw))
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == Participation.Status.PENDING


def test_review_token_approves_through_the_service(client, review_token, reviewer, pending):
    _token, raw = review_token
    response = client.post(f"/api/v1/staff/registrations/{pending.pk}/approve", **bearer(raw))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    change = StatusChange.objects.get(participation=pending, new_status="approved")
    assert change.by == reviewer
    assert change.cause == StatusChange.Cause.STAFF


@pytest.mark.parametrize("verb", ["waitlist", "reject"])
def test_waitlist_and_reject(client, review_token, pending, verb):
    _token, raw = review_token
    response = client.post(f"/api/v1/staff/registrations/{pending.pk}/{verb}", **bearer(raw))
    assert response.status_code == 200
    pending.refresh_from_db()
    assert pending.status == {"waitlist": "waitlisted", "reject": "rejected"}[verb]


def test_impossible_transition_is_a_409(client, review_token, pending):
    _token, raw = review_token
    pending.status = Participation.Status.CANCELLED
    pending.save(update_fields=["status"])
    response = client.post(f"/api/v1/staff/registrations/{pending.pk}/approve", **bearer(raw))
    assert response.status_code == 409
    assert "cancelled" in response.json()["detail"]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nope", "Basic YWRtaW46YWRtaW4=", "Bearer " + "x" * 5000],
)
def test_missing_or_unknown_token_is_401(client, pending, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    response = client.get("/api/v1/staff/registrations", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_expired_and_revoked_tokens_are_refused(client, reviewer, pending):
    _expired, raw = make_token(reviewer, expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/staff/registrations", **bearer(raw))
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    revoked, raw = make_token(reviewer, revoked_at=timezone.now())
    assert client.get("/api/v1/staff/registrations", **bearer(raw)).status_code == 401
    assert revoked.hashed == token_hash(raw)


def test_token_of_a_user_without_rights_is_refused(client, django_user_model, pending):
    clerk = django_user_model.objects.create_user("clerk", "c@example.com", "pw", is_staff=True)
    _token, raw = make_token(clerk, can_review_registrations=True)
    assert client.get("/api/v1/staff/registrations", **bearer(raw)).status_code == 403
    response = client.post(f"/api/v1/staff/registrations/{pending.pk}/approve", **bearer(raw))
    assert response.status_code == 403
    clerk.is_active = False
    clerk.save()
    assert client.get("/api/v1/staff/registrations", **bearer(raw)).status_code == 401


def test_token_limited_to_an_edition(client, reviewer, pending):
    other = ParticipationFactory(event=EventFactory())
    token, raw = make_token(reviewer, can_review_registrations=True)
    token.events.set([pending.event])
    ids = [
        i["id"] for i in client.get("/api/v1/staff/registrations", **bearer(raw)).json()["items"]
    ]
    assert ids == [pending.pk]
    assert client.get(f"/api/v1/staff/registrations/{other.pk}", **bearer(raw)).status_code == 404
    response = client.post(f"/api/v1/staff/registrations/{other.pk}/approve", **bearer(raw))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Participation.Status.PENDING
    address = f"/api/v1/staff/registrations?edition={other.event.slug}"
    assert client.get(address, **bearer(raw)).status_code == 403


def test_idempotency_key_replays_the_first_answer(client, review_token, pending):
    _token, raw = review_token
    address = f"/api/v1/staff/registrations/{pending.pk}/approve"
    first = client.post(address, HTTP_IDEMPOTENCY_KEY="k-1", **bearer(raw))
    # Meanwhile someone rejects it in the admin; the retry must not approve it again.
    Participation.objects.filter(pk=pending.pk).update(status=Participation.Status.REJECTED)
    again = client.post(address, HTTP_IDEMPOTENCY_KEY="k-1", **bearer(raw))
    assert again.status_code == first.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert StatusChange.objects.filter(participation=pending, new_status="approved").count() == 1
    pending.refresh_from_db()
    assert pending.status == Participation.Status.REJECTED


def test_idempotency_key_reused_for_another_request_is_refused(client, review_token, edition):
    _token, raw = review_token
    one, two = ParticipationFactory.create_batch(2, event=edition.event)
    client.post(
        f"/api/v1/staff/registrations/{one.pk}/approve", HTTP_IDEMPOTENCY_KEY="k", **bearer(raw)
    )
    response = client.post(
        f"/api/v1/staff/registrations/{two.pk}/approve", HTTP_IDEMPOTENCY_KEY="k", **bearer(raw)
    )
    assert response.status_code == 422
    two.refresh_from_db()
    assert two.status == Participation.Status.PENDING


def test_idempotency_key_expires_after_24_hours(client, review_token, pending):
    token, raw = review_token
    address = f"/api/v1/staff/registrations/{pending.pk}/waitlist"
    client.post(address, HTTP_IDEMPOTENCY_KEY="old", **bearer(raw))
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    Participation.objects.filter(pk=pending.pk).update(status=Participation.Status.PENDING)
    response = client.post(address, HTTP_IDEMPOTENCY_KEY="old", **bearer(raw))
    assert "Idempotent-Replayed" not in response
    assert IdempotencyRecord.objects.get(
        token=token
    ).created_at > timezone.now() - datetime.timedelta(minutes=1)


@pytest.mark.parametrize("key", ["", " ", "x" * 201, "tab\there"])
def test_bad_idempotency_keys(client, review_token, pending, key):
    _token, raw = review_token
    response = client.post(
        f"/api/v1/staff/registrations/{pending.pk}/approve",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(raw),
    )
    assert response.status_code in {400, 422}
    pending.refresh_from_db()
    assert pending.status == Participation.Status.PENDING


def test_admin_creates_a_token_shown_once(admin_client, admin_user):
    response = admin_client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "CRM",
            "user": admin_user.pk,
            "can_read_registrations": "on",
            "expires_at_0": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'id="api-token-secret">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.hashed == token_hash(raw)
    assert raw not in str(ApiToken.objects.values_list())
    page = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert raw not in page


def test_staff_cannot_mint_a_token_for_a_superuser(client, reviewer, admin_user):
    from django.contrib.auth.models import Permission

    reviewer.user_permissions.add(*Permission.objects.filter(content_type__app_label="api"))
    client.force_login(reviewer)
    response = client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "Escalate",
            "user": admin_user.pk,
            "can_review_registrations": "on",
            "expires_at_0": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_admin_refuses_a_token_for_two_years(admin_client, admin_user):
    response = admin_client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "Forever",
            "user": admin_user.pk,
            "can_read_registrations": "on",
            "expires_at_0": (timezone.localdate() + datetime.timedelta(days=800)).isoformat(),
            "expires_at_1": "12:00:00",
        },
    )
    assert "errorlist" in response.content.decode()
    assert not ApiToken.objects.exists()
