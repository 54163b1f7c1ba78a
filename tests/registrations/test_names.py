import pytest

from organizations.names import normalize_name
from tests.factories import OrganizationFactory


@pytest.mark.parametrize(
    ("variant", "original"),
    [
        ("ABC Capital Co., Ltd.", "abc capital"),
        ("ＡＢＣ　Ｃａｐｉｔａｌ", "ABC Capital"),
        ("abc capital limited", "ABC Capital"),
        ("ABC Capital LLC", "ABC Capital"),
        ("ABC  Capital Company Limited", "ABC Capital"),
        ("ABCCapital", "ABC Capital"),
        ("深圳市前海创投有限公司", "深圳市前海创投"),
        ("深圳市前海创投有限责任公司", "深圳市前海创投股份有限公司"),
        ("深圳 前海创投（有限合伙）", "深圳前海创投"),
        ("深圳市前海创投 Co., Ltd.", "深圳市前海创投有限公司"),
    ],
)
def test_normalize_name_variants_share_a_key(variant, original):
    assert normalize_name(variant) == normalize_name(original)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Costco Capital", "Cost Capital"),
        ("ABC Capital", "ABD Capital"),
        ("前海创投", "后海创投"),
    ],
)
def test_normalize_name_different_names_differ(one, other):
    assert normalize_name(one) != normalize_name(other)


def test_normalize_name_of_only_a_legal_form_is_not_empty():
    assert normalize_name("Limited") == "limited"
    assert normalize_name("有限公司") == "有限公司"


@pytest.mark.django_db
def test_organization_save_keeps_normalized_names():
    organization = OrganizationFactory(name_en="Hill Capital Ltd.", name_zh_hans="山丘资本有限公司")
    assert organization.normalized_name_en == "hillcapital"
    assert organization.normalized_name_zh_hans == "山丘资本"
    organization.name_en = "Valley Capital"
    organization.save(update_fields=["name_en"])
    organization.refresh_from_db()
    assert organization.normalized_name_en == "valleycapital"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "\u200b\u200b\u200b",
        "\u202eLatipac",
        "Alpha\u2066Capital",
        "🚀🌕",
        "\u3164\u3164",
        "\u200d \u2060",
    ],
)
@pytest.mark.parametrize("field", ["institution_name", "contact_name"])
def test_registration_form_refuses_names_without_visible_letters(client, field, name):
    from registrations.models import Participation
    from tests.factories import OpenEventFactory

    from .test_views import form_data, url

    event = OpenEventFactory()
    response = client.post(url(event), form_data(**{field: name}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Participation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["李雷", "Ａｌｐｈａ", "3M Capital", "Café 🚀 Capital", "Ünal"])
def test_registration_form_accepts_names_with_letters_or_digits(client, name):
    from tests.factories import OpenEventFactory

    from .test_views import form_data, url

    event = OpenEventFactory()
    assert client.post(url(event), form_data(institution_name=name)).status_code == 302
