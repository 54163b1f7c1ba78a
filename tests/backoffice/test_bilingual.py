"""Text entered in one language only shows on the pages of the other language too."""

import pytest
from django.urls import reverse
from django.utils import translation

from registrations.models import Participation
from tests.factories import EventFactory, OrganizationFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _get(client, language: str, name: str, **kwargs) -> str:
    with translation.override(language):
        url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def test_chinese_page_falls_back_to_the_english_text(client):
    event = EventFactory(title_en="English Only Edition", summary_en="Summary in English")
    page = _get(client, "zh-hans", "events:detail", slug=event.slug)
    assert "English Only Edition" in page
    assert "Summary in English" in page


def test_english_page_falls_back_to_the_chinese_text(client):
    organization = OrganizationFactory(name_en="", name_zh_hans="只有中文名称的机构")
    ParticipationFactory(
        organization=organization, status=Participation.Status.APPROVED, listed_publicly=True
    )
    page = _get(client, "en", "organizations:detail", slug=organization.slug)
    assert "只有中文名称的机构" in page


def test_each_language_shows_its_own_text_when_both_exist(client):
    event = EventFactory(title_en="Shenzhen VC Day", title_zh_hans="深圳创投日测试")
    assert "深圳创投日测试" in _get(client, "zh-hans", "events:detail", slug=event.slug)
    english = _get(client, "en", "events:detail", slug=event.slug)
    assert "Shenzhen VC Day" in english
    assert "深圳创投日测试" not in english.split("<main", 1)[1]
