import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from organizations.validators import validate_uscc
from tests.factories import AgreementPartyFactory, OrganizationFactory, ParticipationFactory

VALID_USCC = ["91440300MA5DC12341", "91110102MA01ABCDE0", "12440303000000000Y"]


@pytest.mark.parametrize("code", VALID_USCC)
def test_validate_uscc_accepts_codes_with_correct_check_character(code):
    validate_uscc(code)


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("9144030MA5DC12341", "uscc_length"),
        ("91440300MA5DC123411", "uscc_length"),
        ("91440300MA5DC12342", "uscc_checksum"),
        ("91440300MA5DC1234I", "uscc_format"),
        ("9144030OMA5DC12341", "uscc_format"),
        ("91440300MA5DC1234!", "uscc_format"),
    ],
)
def test_validate_uscc_rejects_malformed_codes_with_a_specific_message(code, error_code):
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert info.value.code == error_code


@pytest.mark.django_db
def test_organization_full_clean_reports_a_bad_uscc_on_its_field():
    organization = OrganizationFactory.build(uscc="91440300MA5DC12342")
    with pytest.raises(ValidationError) as info:
        organization.full_clean()
    assert "check character" in str(info.value.message_dict["uscc"])


@pytest.mark.django_db
def test_organization_uscc_is_unique_when_given():
    OrganizationFactory(uscc=VALID_USCC[0])
    OrganizationFactory(uscc="")
    OrganizationFactory(uscc="")  # many institutions may have none
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(uscc=VALID_USCC[0])


@pytest.mark.django_db
def test_organization_uscc_format_is_checked_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationFactory(uscc="not-a-code")


@pytest.mark.django_db
def test_organization_cannot_be_its_own_parent():
    organization = OrganizationFactory()
    organization.parent = organization
    with pytest.raises(IntegrityError), transaction.atomic():
        organization.save()


@pytest.mark.django_db
def test_organization_with_a_participation_cannot_be_deleted():
    participation = ParticipationFactory()
    with pytest.raises(ProtectedError):
        participation.organization.delete()
    assert participation.organization.__class__.objects.filter(pk=participation.organization.pk)


@pytest.mark.django_db
def test_organization_that_signed_an_agreement_cannot_be_deleted():
    party = AgreementPartyFactory()
    with pytest.raises(ProtectedError):
        party.organization.delete()


def test_admin_stores_a_uscc_typed_in_lower_case_normalized(admin_client):
    from django.urls import reverse

    from tests.forms import form_data

    organization = OrganizationFactory()
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = form_data(admin_client.get(url).text, "organization_form")
    response = admin_client.post(url, {**data, "uscc": ["91440300ma5dc12341"]})
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.uscc == "91440300MA5DC12341"
