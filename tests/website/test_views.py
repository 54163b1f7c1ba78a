import contextlib
import datetime
import re

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import timezone, translation

from events.models import SessionSpeaker
from organizations.models import OrganizerContact
from registrations.models import Participation
from tests.factories import (
    AgreementFactory,
    EventFactory,
    KeyFigureFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


def get_text(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200, address
    return response.content.decode()


def test_root_redirects_to_browser_language(client):
    response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/"
    assert client.get("/", headers={"accept-language": "en-GB"})["Location"] == "/en/"


def test_home_shows_next_edition_and_figures_in_both_languages(client, edition):
    english = get_text(client, url("events:home", "en"))
    assert "Venture Capital Day of Shenzhen 2024" in english
    assert "over 100 billion yuan (about 13.8 billion US dollars)" in english
    assert "Reported" in english
    chinese = get_text(client, url("events:home", "zh-hans"))
    assert "深圳创投日2024" in chinese
    assert "超过1000亿元（约138亿美元）" in chinese
    assert '<html lang="zh-Hans">' in chinese


def test_home_leads_with_the_real_series_and_its_latest_edition_before_a_sample(client, edition):
    sample = EventFactory(
        title_en="Sample upcoming edition",
        series__name_en="Sample series",
        series__is_sample=True,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    html = get_text(client, url("events:home", "en"))
    h1 = html[html.index("<h1") : html.index("</h1>")]
    assert "Venture Capital Day of Shenzhen" in h1
    assert "Sample" not in h1
    # The series' reported figure, then the latest edition with its outcomes, then the sample.
    figure = html.index("over 100 billion yuan")
    latest = html.index("Venture Capital Day of Shenzhen 2024")
    outcome = html.index("MoU on an AI-driven innovation accelerator")
    nxt = html.index(sample.title_en)
    assert figure < latest < outcome < nxt
    assert "Sample data: not a real event" in html


def test_home_shows_a_sample_edition_labelled_when_it_is_the_only_one(client, db):
    EventFactory(
        title_en="Sample upcoming edition",
        series__is_sample=True,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
        end_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    html = get_text(client, url("events:home", "en"))
    assert "Sample upcoming edition</h1>" in html
    assert "Sample data: not a real event" in html


def test_edition_page_shows_caption_and_credit_of_a_photo_not_reproduced(client, edition):
    edition.event.photos.update(image="")
    html = get_text(client, edition.event.get_absolute_url())
    section = html[html.index('id="photos"') :]
    assert "Photo not reproduced on this site" in section
    assert "<img" not in section
    assert "The AI sub-venue" in section
    assert "Photo: People&#x27;s Daily Online/Wang Shaoshao" in section
    assert "og:image" not in html


def test_edition_page_shows_a_photo_staff_uploaded(client, edition):
    assert edition.event.photos.get().image  # the factory uploads one
    html = get_text(client, edition.event.get_absolute_url())
    section = html[html.index('id="photos"') :]
    assert "<img" in section
    assert "Photo not reproduced" not in section
    assert "og:image" in html


def test_every_page_footer_and_the_privacy_notice_give_the_organizer_contact(client, edition):
    OrganizerContact.objects.create(
        name_en="Investment Promotion Office",
        name_zh_hans="投资推广办公室",
        email="office@example.org",
        phone="+86 755 0000 0000",
    )
    for path in ("/en/", edition.event.get_absolute_url(), "/en/privacy/"):
        html = get_text(client, path)
        footer = html[html.index("<footer") :]
        assert "Organizer: Investment Promotion Office" in footer
        assert 'href="mailto:office@example.org"' in footer
    privacy = get_text(client, "/en/privacy/")
    assert "Investment Promotion Office" in privacy[: privacy.index("<footer")]
    chinese = get_text(client, url("events:home", "zh-hans"))
    assert "主办方：投资推广办公室，" in chinese


def test_footer_says_when_no_organizer_contact_was_entered(client, edition):
    assert "contact details have not been entered yet" in get_text(client, "/en/")


def test_usd_equivalent_shows_only_with_a_named_rate_and_date(client, edition):
    html = get_text(client, url("events:home", "en"))
    assert "over 100 billion yuan (about 13.8 billion US dollars)" in html
    assert "US dollars at 7.25 yuan per dollar, rate of May 27, 2024, Test rate" in html
    chinese = get_text(client, url("events:home", "zh-hans"))
    assert "按1美元兑7.25元折算，2024年5月27日汇率" in chinese
    edition.event.series.key_figures.update(usd_rate=None)
    html = get_text(client, url("events:home", "en"))
    assert "over 100 billion yuan" in html
    assert "US dollars" not in html


def test_speaker_keeps_the_position_held_at_the_edition(client, edition):
    speaker = SessionSpeaker.objects.get(session__event=edition.event)
    speaker.position_en = "Mayor of Luohu District"
    speaker.save()
    person = speaker.person
    person.position_en = "Party Secretary of Somewhere Else"
    person.save()
    html = get_text(client, edition.event.get_absolute_url())
    assert "Mayor of Luohu District" in html
    assert "Party Secretary of Somewhere Else" not in html


def test_edition_page_tells_series_totals_and_figures_about_its_bodies(client, edition):
    KeyFigureFactory(
        series=None,
        organization=edition.host,
        label_en="National high-tech enterprises in Luohu",
        value=618,
        source_en="An article",
    )
    html = get_text(client, edition.event.get_absolute_url())
    figures = html[html.index('id="figures"') :]
    assert "About Luohu District People&#x27;s Government" in figures
    assert "National high-tech enterprises in Luohu" in figures
    assert "Source: An article" in figures
    assert "Venture Capital Day of Shenzhen to date" in figures
    assert "over 100 billion yuan" in figures


def test_edition_page_shows_who_was_quoted_with_the_position_then(client, edition):
    cheng = PersonFactory(name_en="Cheng Xue", position_en="Something later")
    KeyFigureFactory(
        series=None,
        organization=edition.host,
        label_en="Asset scale",
        value=1,
        reported_by=cheng,
        reported_by_position_en="Director",
    )
    html = get_text(client, edition.event.get_absolute_url())
    assert "Quoted: Cheng Xue, Director" in html
    assert "Something later" not in html


def test_edition_page_shows_the_edition_in_english(client, edition):
    ParticipationFactory(
        event=edition.event,
        organization=OrganizationFactory(name_en="Listed Capital"),
        status=Participation.Status.APPROVED,
        listed_publicly=True,
    )
    html = get_text(client, edition.event.get_absolute_url())
    assert "<h1" in html
    assert html.count("<h1") == 1
    assert "Luohu District People&#x27;s Government" in html
    assert "Host" in html
    assert f'id="venue-{edition.ai_venue.pk}"' in html
    assert "Artificial intelligence" in html
    assert "AI and capital" in html
    assert "14:00" in html
    assert "15:30" in html
    assert "Zuo Jinping" in html
    assert "Mayor of Luohu District" in html
    assert "Keynote" in html
    assert "1 institution is listed as taking part." in html
    assert "Listed Capital" in html
    assert "MoU on an AI-driven innovation accelerator" in html
    assert "100 billion yuan" in html
    assert "1,700" in html
    assert "Reported" in html
    assert "The AI sub-venue" in html
    assert "Photo: People&#x27;s Daily Online/Wang Shaoshao" in html


def test_edition_page_shows_the_edition_in_chinese(client, edition):
    html = get_text(client, url("events:detail", "zh-hans", slug=edition.event.slug))
    assert "深圳创投日2024" in html
    assert "深圳市罗湖区人民政府" in html
    assert "人工智能分会场" in html
    assert "罗湖区区长" in html
    assert "共建人工智能创新加速器合作备忘录" in html
    assert "1000亿元" in html
    assert "2024年5月22日" in html
    assert 'hreflang="en"' in html
    assert f'href="/en/events/{edition.event.slug}/"' in html


def test_edition_page_counts_every_listed_institution_beyond_the_first_shown(client):
    event = EventFactory(is_published=True)
    address = event.get_absolute_url()
    assert "No participating institution is listed publicly yet." in get_text(client, address)
    for _ in range(14):
        ParticipationFactory(
            event=event, status=Participation.Status.APPROVED, listed_publicly=True
        )
    ParticipationFactory(event=event, status=Participation.Status.APPROVED, listed_publicly=False)
    html = get_text(client, address)
    assert "14 institutions are listed as taking part." in html
    assert html.split('class="institution-grid')[1].split("</ul>")[0].count("<li>") == 12


def test_edition_page_never_shows_contact_details(client, edition):
    ParticipationFactory(
        event=edition.event,
        status=Participation.Status.APPROVED,
        listed_publicly=True,
        contact_name="Secret Contact",
        contact_email="secret-contact@example.com",
        contact_phone="+86 138 0000 0000",
    )
    for language in ("en", "zh-hans"):
        for address in (
            url("events:detail", language, slug=edition.event.slug),
            url("events:participants", language, slug=edition.event.slug),
            url("organizations:detail", language, slug=edition.host.slug),
        ):
            html = get_text(client, address)
            assert "secret-contact@example.com" not in html
            assert "Secret Contact" not in html
            assert "+86 138" not in html
            assert "mayor-private@example.com" not in html
            assert "+86 755" not in html


def test_registration_state_shows_opening_date(client, edition):
    import datetime

    from django.utils import timezone

    event = edition.event
    event.registration_opens_at = timezone.now() + datetime.timedelta(days=3)
    event.save()
    html = get_text(client, event.get_absolute_url())
    assert "Registration not yet open" in html
    assert "Opens on" in html


def test_draft_edition_is_404_for_public_and_visible_to_staff(client, admin_client):
    draft = EventFactory(is_published=False, title_en="Secret draft edition")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(url("events:participants", "en", slug=draft.slug)).status_code == 404
    assert client.get(url("events:calendar", "en", slug=draft.slug)).status_code == 404
    assert "Secret draft edition" not in get_text(client, url("events:list", "en"))
    staff_html = get_text(admin_client, draft.get_absolute_url())
    assert "Secret draft edition" in staff_html
    assert "Draft: visible to staff only" in staff_html


def test_participant_list_shows_only_approved_and_listed(client, edition):
    event = edition.event
    ParticipationFactory(
        event=event,
        organization=OrganizationFactory(name_en="Shown Ventures", name_zh_hans="展示创投"),
        status=Participation.Status.APPROVED,
        listed_publicly=True,
    )
    ParticipationFactory(
        event=event,
        organization=OrganizationFactory(name_en="Unlisted Ventures"),
        status=Participation.Status.APPROVED,
        listed_publicly=False,
    )
    ParticipationFactory(
        event=event,
        organization=OrganizationFactory(name_en="Pending Ventures"),
        status=Participation.Status.PENDING,
        listed_publicly=True,
    )
    html = get_text(client, url("events:participants", "en", slug=event.slug))
    assert "Shown Ventures" in html
    assert "Unlisted Ventures" not in html
    assert "Pending Ventures" not in html
    assert "1 institution found." in html
    chinese = get_text(client, url("events:participants", "zh-hans", slug=event.slug))
    assert "展示创投" in chinese


def test_participant_list_searches_both_languages_and_filters_kind(client, edition):
    event = edition.event
    for name_en, name_zh, kind in [
        ("Alpha Capital", "阿尔法资本", "vc_firm"),
        ("Beta Equity", "贝塔股权", "pe_firm"),
    ]:
        ParticipationFactory(
            event=event,
            organization=OrganizationFactory(name_en=name_en, name_zh_hans=name_zh, kind=kind),
            status=Participation.Status.APPROVED,
            listed_publicly=True,
        )
    address = url("events:participants", "en", slug=event.slug)
    by_chinese = client.get(address, {"q": "阿尔法"}).content.decode()
    assert "Alpha Capital" in by_chinese
    assert "Beta Equity" not in by_chinese
    by_english = client.get(address, {"q": "beta"}).content.decode()
    assert "Beta Equity" in by_english
    assert "Alpha Capital" not in by_english
    by_kind = client.get(address, {"kind": "pe_firm"}).content.decode()
    assert "Beta Equity" in by_kind
    assert "Alpha Capital" not in by_kind


def test_participant_list_is_paginated(client, edition):
    for index in range(55):
        ParticipationFactory(
            event=edition.event,
            organization=OrganizationFactory(name_en=f"Firm {index:03d}"),
            status=Participation.Status.APPROVED,
            listed_publicly=True,
        )
    address = url("events:participants", "en", slug=edition.event.slug)
    first = client.get(address).content.decode()
    assert 'rel="next"' in first
    assert "Firm 000" in first
    assert "Firm 054" not in first
    # Pages follow a row (keyset, website/paging.py), not a page number.
    after = re.search(r'rel="next" href="\?after=(\d+)"', first).group(1)
    second = client.get(address, {"after": after}).content.decode()
    assert "Firm 054" in second
    assert "Firm 000" not in second
    assert 'rel="prev"' in second


def test_series_page_labels_computed_and_reported(client, edition):
    ParticipationFactory.create_batch(
        3, event=edition.event, status=Participation.Status.APPROVED, listed_publicly=False
    )
    later = EventFactory(series=edition.event.series, title_en="Edition 2025")
    ParticipationFactory(event=later, status=Participation.Status.APPROVED)
    html = get_text(client, edition.event.series.get_absolute_url())
    assert "Reported" in html
    assert "Computed" in html
    assert "over 100 billion yuan" in html
    assert "<svg" in html
    assert "<table" in html
    assert "Edition 2025" in html
    # 3 institutions in 2024, one more in 2025: the running total is 4.
    assert '<td class="text-end" data-label="Institutions to date">4</td>' in html
    chinese = get_text(client, url("events:series_detail", "zh-hans", slug="vc-day"))
    assert "深圳创投日" in chinese


def test_series_page_says_computed_figures_are_not_recorded_instead_of_zero(client, edition):
    html = get_text(client, edition.event.series.get_absolute_url())
    cards = html[html.index("Computed from the records on this site") : html.index("years-heading")]
    assert "Not recorded" in cards
    assert "No edition's participants are recorded on this site yet." in cards
    assert "Agreements recorded for 1 of 1 editions." in cards
    assert 'id="chart-institutions-title"' not in html


def test_institution_page_shows_roles_agreements_and_parent(client, edition):
    child = OrganizationFactory(name_en="Luohu Investment Bureau", parent=edition.host)
    KeyFigureFactory(series=None, organization=child, label_en="Funds under guidance")
    OrganizationFactory(name_en="Unseen Bureau", parent=edition.host)
    html = get_text(client, url("organizations:detail", "en", slug=edition.host.slug))
    assert "Luohu District People&#x27;s Government" in html
    assert "Venture Capital Day of Shenzhen 2024" in html
    assert "MoU on an AI-driven innovation accelerator" in html
    assert "Signatory" in html
    assert "Luohu Investment Bureau" in html
    assert "Unseen Bureau" not in html
    child_html = get_text(client, url("organizations:detail", "zh-hans", slug=child.slug))
    assert "深圳市罗湖区人民政府" in child_html


def test_directory_lists_public_institutions_only(client, edition):
    hidden = OrganizationFactory(name_en="Registered Only Fund")
    ParticipationFactory(
        event=edition.event,
        organization=hidden,
        status=Participation.Status.APPROVED,
        listed_publicly=False,
    )
    html = get_text(client, url("organizations:list", "en"))
    assert "Luohu District People&#x27;s Government" in html
    assert "People&#x27;s Daily Online" in html
    assert "Registered Only Fund" not in html
    assert client.get(hidden.get_absolute_url()).status_code == 404
    chinese = get_text(client, url("organizations:list", "zh-hans"))
    assert "人民网" in chinese
    searched = client.get(url("organizations:list", "en"), {"q": "人民网"}).content.decode()
    assert "People&#x27;s Daily Online" in searched
    assert "Luohu" not in searched


def test_agreement_pages_in_both_languages(client, edition):
    html = get_text(client, url("events:agreement_list", "en"))
    assert "MoU on an AI-driven innovation accelerator" in html
    assert "Memorandum of understanding" in html
    detail = get_text(client, url("events:agreement_detail", "en", pk=edition.agreement.pk))
    assert "Set up an accelerator together." in detail
    assert "People&#x27;s Daily Online" in detail
    assert "Signatory" in detail
    assert "100 billion yuan" in detail
    chinese = get_text(client, url("events:agreement_detail", "zh-hans", pk=edition.agreement.pk))
    assert "共建人工智能创新加速器合作备忘录" in chinese
    assert "1000亿元" in chinese


def test_agreement_of_draft_edition_is_hidden(client):
    agreement = AgreementFactory(event=EventFactory(is_published=False), title_en="Draft deal")
    assert client.get(agreement.get_absolute_url()).status_code == 404
    assert "Draft deal" not in get_text(client, url("events:agreement_list", "en"))


def test_pages_load_resources_only_from_the_site(client, edition):
    html = get_text(client, edition.event.get_absolute_url())
    sources = re.findall(r'\ssrc="([^"]*)"', html)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]*)"', html)
    assert sources
    assert stylesheets
    for address in sources + stylesheets:
        assert address.startswith("/"), address
        assert not address.startswith("//"), address


def test_language_switcher_on_a_missing_page_leads_to_the_other_languages_home(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert 'href="/zh-hans/"' in response.content.decode()


def test_edition_page_lists_the_first_agreements_and_links_to_all(client):
    event = EventFactory(title_en="Busy Edition")
    for n in range(12):
        AgreementFactory(event=event, title_en=f"Pact {n:02d}")
    AgreementFactory(title_en="Elsewhere pact")
    page = client.get(event.get_absolute_url()).content.decode()
    assert page.count("Pact ") == 10
    assert f"?edition={event.slug}" in page
    listing = client.get(f"/en/agreements/?edition={event.slug}").content.decode()
    assert "12 agreements." in listing
    assert "Elsewhere pact" not in listing
    assert client.get("/en/agreements/?edition=no-such-edition").status_code == 404


def test_language_switcher_keeps_the_page_and_its_query_string(client, edition):
    slug = edition.event.slug
    html = get_text(
        client, f"/zh-hans/events/{slug}/institutions/?kind=vc_firm&q=%E6%8A%95%E8%B5%84"
    )
    assert f'href="/en/events/{slug}/institutions/?kind=vc_firm&amp;q=%E6%8A%95%E8%B5%84"' in html
    assert f'hreflang="en" href="http://testserver/en/events/{slug}/institutions/"' in html


def test_a_missing_edition_links_to_the_same_address_in_the_other_language(client):
    response = client.get("/zh-hans/events/no-such-edition/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="/en/events/no-such-edition/"' in html
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/events/no-such-edition/"' in html


def test_a_missing_page_is_its_own_alternate_and_the_other_languages_home(client):
    html = client.get("/zh-hans/no-such-page/?ref=x").content.decode()
    assert 'href="/en/?ref=x"' in html
    assert 'hreflang="en" href="http://testserver/en/"' in html
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/no-such-page/"' in html


@contextlib.contextmanager
def served_below_vc():
    """Requests as a server gives them to a site served below /vc/ (Django's WSGI handler sets
    the script prefix from SCRIPT_NAME; the test client does not)."""
    set_script_prefix("/vc/")
    try:
        yield {"SCRIPT_NAME": "/vc"}
    finally:
        clear_script_prefix()


def test_alternates_of_a_missing_page_keep_the_script_prefix(client):
    with served_below_vc() as environ:
        html = client.get("/zh-hans/no-such-page/", **environ).content.decode()
    assert 'href="/vc/en/"' in html
    assert 'hreflang="zh-Hans" href="http://testserver/vc/zh-hans/no-such-page/"' in html


def test_a_missing_sitemap_section_has_each_languages_home_as_alternate(client):
    html = client.get("/sitemap-nope.xml").content.decode()
    assert 'hreflang="en" href="http://testserver/en/"' in html
    assert 'hreflang="zh-Hans" href="http://testserver/zh-hans/"' in html


def test_layout_links_follow_the_language_and_the_script_prefix(client, edition):
    # The layout's links are reversed once per process for each language and script prefix.
    def nav(address, **extra):
        html = client.get(address, **extra).content.decode()
        return re.findall(r'class="site-(?:brand[^"]*|nav-link)" href="([^"]*)"', html)

    assert nav("/en/") == ["/en/", "/en/events/", "/en/institutions/", "/en/agreements/"]
    zh = ["/zh-hans/", "/zh-hans/events/", "/zh-hans/institutions/", "/zh-hans/agreements/"]
    assert nav("/zh-hans/") == zh
    with served_below_vc() as environ:
        assert nav("/zh-hans/", **environ) == [f"/vc{path}" for path in zh]
        assert nav("/zh-hans/no-such-page/", **environ) == [f"/vc{path}" for path in zh]
    assert nav("/zh-hans/no-such-page/") == zh
    assert 'href="/zh-hans/privacy/"' in client.get("/zh-hans/events/").content.decode()


def test_a_missing_page_runs_one_query_for_the_organizer_contact(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/zh-hans/no-such-page/").status_code == 404
