"""The follow-up admin: officers see and change only their office's agreements (and nothing
else), stages move through the service, evidence is served only to those who may see it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from followup.models import CapitalEntry, FollowUp, Stage
from followup.services import followup_stage_change
from tests.factories import CapitalEntryFactory, FollowUpFactory, OfficeFactory
from tests.forms import form_data

from .conftest import SIGNED

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(django_user_model):
    user = django_user_model.objects.create_user("officer", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Follow-up officers"))
    return user


@pytest.fixture
def own(officer, agreement):
    office = OfficeFactory(name="Futian Investment Promotion Bureau")
    office.members.add(officer)
    return FollowUpFactory(agreement=agreement, office=office, reference="FT-001")


@pytest.fixture
def other():
    return FollowUpFactory(
        office=OfficeFactory(name="Nanshan Bureau"),
        reference="NS-001",
        agreement__signed_on=SIGNED,
        agreement__event__start_date=SIGNED,
    )


def _change_url(followup):
    return reverse("admin:followup_followup_change", args=[followup.pk])


def test_officer_lists_only_own_office(client, officer, own, other):
    client.force_login(officer)
    page = client.get(reverse("admin:followup_followup_changelist"))
    assert page.status_code == 200
    assert "FT-001" in page.text
    assert "NS-001" not in page.text


def test_officer_cannot_open_or_change_another_office(client, officer, own, other):
    client.force_login(officer)
    assert client.get(_change_url(other)).status_code in (302, 403, 404)
    response = client.post(_change_url(other), {"new_stage": "terminated"})
    assert response.status_code in (302, 403, 404)
    other.refresh_from_db()
    assert other.stage == Stage.SIGNED
    history = reverse("admin:followup_followup_history", args=[other.pk])
    assert client.get(history).status_code == 403


def test_officer_moves_own_agreement_to_the_next_stage(client, officer, own):
    client.force_login(officer)
    url = _change_url(own)
    data = form_data(client.get(url).text, "followup_form")
    data.update(new_stage=["company_registered"], new_stage_on=["2024-07-01"])
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:3000]
    own.refresh_from_db()
    assert (own.stage, own.company_registered_on) == (
        "company_registered",
        datetime.date(2024, 7, 1),
    )
    assert own.milestones.get(stage="company_registered").recorded_by == officer
    assert own.history.count() >= 2  # who, when, before and after


def test_a_refused_stage_change_is_a_form_error(client, officer, own):
    client.force_login(officer)
    url = _change_url(own)
    data = form_data(client.get(url).text, "followup_form")
    data.update(new_stage=["terminated"], new_stage_on=["2024-07-01"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give the reason" in response.text
    own.refresh_from_db()
    assert own.stage == Stage.SIGNED


def test_officer_cannot_change_assignment_or_publication(client, officer, own):
    client.force_login(officer)
    page = client.get(_change_url(own)).text
    assert 'name="notes"' in page
    for field in ("office", "case_officer", "publish_stage", "reference"):
        assert f'name="{field}"' not in page


def test_officer_sees_nothing_else(client, officer, own):
    client.force_login(officer)
    for name in (
        "admin:events_agreement_changelist",
        "admin:organizations_organization_changelist",
        "admin:registrations_participation_changelist",
        "admin:followup_office_changelist",
    ):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("admin:followup_followup_add")).status_code == 403


def test_officer_records_an_entry_with_evidence_for_own_office_only(client, officer, own, other):
    client.force_login(officer)
    add = reverse("admin:followup_capitalentry_add")
    page = client.get(add).text
    assert "FT-001" in page
    assert "NS-001" not in page
    data = {
        "amount": "2500000",
        "currency": "CNY",
        "received_on": "2025-01-10",
        "kind": "equity",
        "note": "",
    }
    evidence = SimpleUploadedFile("statement.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(add, {**data, "followup": other.pk, "evidence": evidence})
    assert response.status_code == 200  # not a choice
    assert not CapitalEntry.objects.exists()
    evidence.seek(0)
    response = client.post(add, {**data, "followup": own.pk, "evidence": evidence})
    assert response.status_code == 302
    entry = CapitalEntry.objects.get()
    assert (entry.followup, entry.recorded_by, entry.verified_at) == (own, officer, None)

    client.post(
        reverse("admin:followup_capitalentry_changelist"),
        {"action": "verify", "_selected_action": [entry.pk]},
    )
    entry.refresh_from_db()
    assert entry.verified_by == officer


def test_evidence_is_served_to_the_office_and_refused_to_others(client, officer, own, other):
    mine = CapitalEntryFactory(followup=own)
    theirs = CapitalEntryFactory(followup=other)
    client.force_login(officer)
    response = client.get(reverse("admin:followup_capitalentry_evidence", args=[mine.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 evidence"
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    response = client.get(reverse("admin:followup_capitalentry_evidence", args=[theirs.pk]))
    assert response.status_code in (403, 404)
    entries = client.get(reverse("admin:followup_capitalentry_changelist")).text
    assert str(theirs.followup) not in entries
    change = reverse("admin:followup_capitalentry_change", args=[theirs.pk])
    assert client.get(change).status_code in (302, 403, 404)


def test_evidence_is_not_under_the_public_media_url(client, own, settings):
    entry = CapitalEntryFactory(followup=own)
    assert not entry.evidence.path.startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/{settings.MEDIA_URL}{entry.evidence.name}").status_code == 404
    evidence = reverse("admin:followup_capitalentry_evidence", args=[entry.pk])
    assert client.get(evidence).status_code == 302  # to the login page


def test_manager_sees_every_office_and_assigns(client, django_user_model, own, other, officer):
    manager = django_user_model.objects.create_user("manager", is_staff=True)
    manager.groups.add(Group.objects.get(name="Follow-up managers"))
    client.force_login(manager)
    page = client.get(reverse("admin:followup_followup_changelist")).text
    assert "FT-001" in page
    assert "NS-001" in page
    url = _change_url(other)
    data = form_data(client.get(url).text, "followup_form")
    data.update(case_officer=[str(officer.pk)], publish_stage=["on"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "member of the office" in response.text
    data["office"] = [str(own.office.pk)]
    assert client.post(url, data).status_code == 302
    other.refresh_from_db()
    assert (other.office, other.case_officer, other.publish_stage) == (own.office, officer, True)


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("manager", is_staff=True)
    user.groups.add(Group.objects.get(name="Follow-up managers"))
    return user


def _post_change(client, followup, **changes):
    """Post the follow-up's form as its page shows it, with ``changes``."""
    url = _change_url(followup)
    data = form_data(client.get(url).text, "followup_form")
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def _moved(followup, stage, on):
    followup_stage_change(followup=followup, stage=stage, on=on, today=datetime.date(2026, 1, 1))


def test_manager_withdraws_a_stage_recorded_by_mistake(client, manager, own):
    _moved(own, Stage.CAPITAL_FULLY, datetime.date(2024, 9, 1))
    client.force_login(manager)
    response = _post_change(client, own, withdraw_last_stage="on", withdrawal_reason="")
    assert response.status_code == 200
    assert "Say why the stage is withdrawn." in response.text
    reason = "Capital was entered for the wrong agreement"
    response = _post_change(client, own, withdraw_last_stage="on", withdrawal_reason=reason)
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.stage, own.capital_fully_on) == (Stage.SIGNED, None)
    page = client.get(_change_url(own)).text
    assert "Capital was entered for the wrong agreement" in page  # kept, marked withdrawn


def test_withdrawing_and_moving_at_once_is_a_form_error(client, manager, own):
    _moved(own, Stage.COMPANY_REGISTERED, datetime.date(2024, 9, 1))
    client.force_login(manager)
    response = _post_change(
        client,
        own,
        withdraw_last_stage="on",
        withdrawal_reason="Mistake",
        new_stage="operating",
        new_stage_on="2024-10-01",
    )
    assert response.status_code == 200
    assert "not both at once" in response.text
    own.refresh_from_db()
    assert own.stage == Stage.COMPANY_REGISTERED


def test_nothing_to_withdraw_is_a_form_error(client, manager, own):
    client.force_login(manager)
    response = _post_change(client, own, withdraw_last_stage="on", withdrawal_reason="Mistake")
    assert response.status_code == 200
    assert "No stage after the signature is recorded to withdraw." in response.text


def test_an_officer_cannot_withdraw_a_stage(client, officer, own):
    _moved(own, Stage.COMPANY_REGISTERED, datetime.date(2024, 9, 1))
    client.force_login(officer)
    assert 'name="withdraw_last_stage"' not in client.get(_change_url(own)).text
    response = _post_change(client, own, withdraw_last_stage="on", withdrawal_reason="Mistake")
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.stage == Stage.COMPANY_REGISTERED
    assert not own.milestones.filter(withdrawn_at__isnull=False).exists()


def test_admin_adds_a_followup_through_the_service(admin_client, agreement):
    url = reverse("admin:followup_followup_add")
    data = form_data(admin_client.get(url).text, "followup_form")
    data.update(agreement=[str(agreement.pk)], reference=["NEW-1"])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    followup = FollowUp.objects.get(reference="NEW-1")
    assert list(followup.milestones.values_list("stage", flat=True)) == ["signed"]


def test_officer_cannot_revert_another_office_through_history(client, officer, own, other):
    other.notes = "changed"
    other.save()
    version = other.history.earliest()
    url = reverse("admin:followup_followup_simple_history", args=[other.pk, version.history_id])
    client.force_login(officer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"notes": ""}).status_code == 403
    other.refresh_from_db()
    assert other.notes == "changed"
    entry = CapitalEntryFactory(followup=other)
    entry_version = entry.history.earliest()
    entry_url = reverse(
        "admin:followup_capitalentry_simple_history", args=[entry.pk, entry_version.history_id]
    )
    assert client.get(entry_url).status_code == 403


def test_history_revert_restores_fields_but_never_the_stage(admin_client, own):
    from followup.services import followup_stage_change

    own.notes = "first"
    own.save()
    version = own.history.latest()
    FollowUp.objects.filter(pk=own.pk).update(notes="second")
    followup_stage_change(followup=own, stage="company_registered", on=datetime.date(2024, 7, 1))
    url = reverse("admin:followup_followup_simple_history", args=[own.pk, version.history_id])
    response = admin_client.post(
        url, form_data(admin_client.get(url).text, "historicalfollowup_form")
    )
    assert response.status_code == 302, response.text[:2000]
    own.refresh_from_db()
    assert own.notes == "first"
    assert own.stage == "company_registered"  # only the service changes a stage
