"""Text entered in one language only shows on the pages of the other language too."""

import pytest
from django.urls import reverse
from django.utils import translation

from registrations.models import Participation
from tests.factories import (
    EventFactory,
    OrganizationFactory,
    ParticipationFactory,
    SessionFactory,
    VenueFactory,
)

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


def test_admin_list_filter_finds_records_missing_chinese_or_english(admin_client):
    EventFactory(title_en="Only English", title_zh_hans="")
    EventFactory(title_en="", title_zh_hans="只有中文")
    EventFactory(title_en="Both", title_zh_hans="两种语言", city_zh_hans="北京")
    url = reverse("admin:events_event_changelist")
    chinese_missing = admin_client.get(url, {"missing": "zh-hans"}).text
    assert "Only English" in chinese_missing
    assert "两种语言" not in chinese_missing
    assert "Both" not in chinese_missing
    english_missing = admin_client.get(url, {"missing": "en"}).text
    assert "只有中文" in english_missing
    assert "Only English" not in english_missing


def test_admin_change_form_shows_a_badge_when_a_translation_is_missing(admin_client):
    untranslated = EventFactory(title_en="Only English", title_zh_hans="")
    complete = EventFactory(title_en="Both", title_zh_hans="两种语言", city_zh_hans="北京")
    page = admin_client.get(reverse("admin:events_event_change", args=[untranslated.pk])).text
    assert "translation-badge" in page
    assert "Simplified Chinese" in page[page.index("translation-missing") :]
    page = admin_client.get(reverse("admin:events_event_change", args=[complete.pk])).text
    assert "translation-badge" not in page


def test_dashboard_counts_untranslated_records_per_edition(admin_client):
    event = EventFactory(title_en="Counted Edition", title_zh_hans="计数活动", city_zh_hans="北京")
    VenueFactory(event=event, name_en="Hall", name_zh_hans="")
    SessionFactory(event=event, venue=None, title_en="Talk", title_zh_hans="")
    SessionFactory(event=event, venue=None, title_en="", title_zh_hans="只有中文的议题")
    page = admin_client.get(reverse("admin_dashboard")).text
    table = page[page.index("Translations to finish") :]
    row = table[table.index("Counted Edition") :]
    row = row[: row.index("</tr>")]
    assert '<td class="numeric">2</td>' in row  # Chinese missing: the venue and a session
    assert '<td class="numeric">1</td>' in row  # English missing: the other session
