import pytest

from organizations.services import organization_find_match, organization_unique_slug
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

VALID_USCC = "91440300MA5DC12341"


def test_organization_find_match_by_uscc_beats_name():
    by_code = OrganizationFactory(name_en="Old Name Ltd", uscc=VALID_USCC)
    OrganizationFactory(name_en="New Name")
    assert organization_find_match(name="New Name", uscc=VALID_USCC) == by_code


def test_organization_find_match_by_normalized_name_in_either_language():
    organization = OrganizationFactory(name_en="Hill Capital", name_zh_hans="山丘资本有限公司")
    assert organization_find_match(name="HILL CAPITAL CO., LTD.") == organization
    assert organization_find_match(name="山丘资本 （有限责任公司）") == organization


def test_organization_find_match_name_with_other_uscc_is_another_institution():
    OrganizationFactory(name_en="Hill Capital", uscc=VALID_USCC)
    assert organization_find_match(name="Hill Capital", uscc="91350100M000100Y43") is None


def test_organization_unique_slug_avoids_taken_slugs():
    OrganizationFactory(slug="hill-capital")
    slug = organization_unique_slug("Hill Capital")
    assert slug.startswith("hill-capital-")
    assert organization_unique_slug("山丘资本") == "institution"  # no Latin letters to slugify
