import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import translation
from PIL import Image

from common.bilingual import translated_fields
from devdata.demo import PLACEHOLDER_ALT
from events.models import Agreement, Event, KeyFigure, Series, SessionSpeaker, Venue
from organizations.models import Organization, Person

pytestmark = pytest.mark.django_db

EDITION = "venture-capital-day-of-shenzhen-2024"


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return Event.objects.get(slug=EDITION)


def _snapshot():
    models = [m for m in apps.get_models() if m._meta.app_label in {"events", "organizations"}]
    return {m.__name__: sorted(m.objects.values_list(flat=False)) for m in models}


def test_load_demo_creates_the_seed_edition(demo):
    assert demo.title_en == "Venture Capital Day of Shenzhen 2024"
    assert demo.start_date == datetime.date(2024, 5, 22)
    assert demo.city_zh_hans == "北京"
    assert demo.is_published
    assert demo.series.organizer.name_en == "Luohu District People's Government"
    hosts = {(h.organization.slug, h.role) for h in demo.host_roles.all()}
    assert ("luohu-district-peoples-government", "host") in hosts
    assert ("xicheng-district-beijing", "participant") in hosts


def test_load_demo_has_one_main_venue_and_four_sub_venues_one_on_ai(demo):
    venues = demo.venues.all()
    assert [v.kind for v in venues].count(Venue.Kind.MAIN) == 1
    subs = [v for v in venues if v.kind == Venue.Kind.SUB]
    assert len(subs) == 4
    assert [v.theme_en for v in subs if v.theme_en] == ["Artificial intelligence"]


def test_load_demo_has_the_officials_with_positions(demo):
    positions = dict(Person.objects.values_list("name_en", "position_en"))
    assert positions["Zuo Jinping"] == "Mayor of Luohu District"
    assert positions["Cheng Xue"] == "Director"
    cheng = Person.objects.get(name_en="Cheng Xue")
    assert cheng.organization.name_en == "Economic Promotion Bureau of Xicheng District"
    speakers = {
        s.person.name_en for session in demo.sessions.all() for s in session.speaker_roles.all()
    }
    assert speakers == {"Zuo Jinping"}  # the seed quotes Cheng Xue but names no session of his
    # The posts held at the 2024 edition belong to the appearance, not only to the person.
    zuo = SessionSpeaker.objects.get(session__event=demo)
    assert (zuo.position_en, zuo.position_zh_hans) == ("Mayor of Luohu District", "罗湖区区长")
    quoted = KeyFigure.objects.get(reported_by=cheng)
    assert (quoted.reported_by_position_en, quoted.reported_by_position_zh_hans) == (
        "Director",
        "局长",
    )


def test_load_demo_has_the_memorandum_with_both_parties_and_the_platform(demo):
    mou = Agreement.objects.get(event=demo)
    assert mou.kind == Agreement.Kind.MOU
    assert "828 Enterprise Service Platform" in mou.purpose_en
    roles = {(p.organization.name_en, p.role) for p in mou.party_roles.all()}
    assert roles == {
        ("Luohu District People's Government", "signatory"),
        ("People's Daily Online", "signatory"),
        ("828 Enterprise Service Platform", "platform"),
    }
    assert mou.amount_yuan is None  # the seed states no amount


def test_load_demo_has_the_series_running_totals_with_usd_equivalent(demo):
    figures = {f.label_en: f for f in KeyFigure.objects.filter(series=demo.series)}
    institutions = figures["Venture capital institutions gathered by the series"]
    assert (institutions.qualifier, institutions.value) == ("over", Decimal(6000))
    funds = figures["Fund cooperation facilitated by the series"]
    assert (funds.value, funds.unit, funds.usd_equivalent) == (
        Decimal(100_000_000_000),
        "yuan",
        Decimal(13_800_000_000),
    )


def test_load_demo_has_dated_figures_for_shenzhen_luohu_and_xicheng(demo):
    shenzhen = KeyFigure.objects.get(event=demo, value=1700)
    assert shenzhen.as_of == datetime.date(2024, 3, 31)
    assert KeyFigure.objects.get(organization__slug="luohu-district-peoples-government", value=936)
    xicheng = KeyFigure.objects.get(organization__slug="xicheng-district-beijing")
    assert xicheng.value == Decimal(150 * 10**12)
    assert "Cheng Xue" in xicheng.source_en


def test_load_demo_photos_carry_captions_and_credits_but_no_made_up_image(demo):
    photos = list(demo.photos.all())
    assert len(photos) == 2
    assert {p.credit_en for p in photos} == {"People's Daily Online/Wang Shaoshao"}
    assert not any(p.image for p in photos)
    assert photos[1].venue.theme_en == "Artificial intelligence"


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (38, 70, 120)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue())


def test_load_demo_removes_an_old_placeholder_but_keeps_a_staff_upload(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first, second = demo.photos.all()
    first.alt_text_en = PLACEHOLDER_ALT
    first.image.save("demo-placeholder.jpg", _jpeg())
    second.alt_text_en = "The AI sub-venue, seen from the stage."
    second.image.save("staff-upload.jpg", _jpeg())
    call_command("load_demo", verbosity=0)
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.image
    assert first.alt_text_en == ""
    assert second.image.name.endswith(".jpg")
    assert (tmp_path / second.image.name).exists()


def test_load_demo_leaves_unknown_chinese_names_empty_and_falls_back_to_english(demo):
    bureau = Organization.objects.get(slug="xicheng-district-economic-promotion-bureau")
    zuo = Person.objects.get(name_en="Zuo Jinping")
    assert bureau.name_zh_hans in (None, "")
    assert zuo.name_zh_hans in (None, "")
    with translation.override("zh-hans"):
        assert bureau.name == "Economic Promotion Bureau of Xicheng District"
        assert zuo.name == "Zuo Jinping"
        assert demo.title == "2024年深圳创投日"
        assert demo.city == "北京"


def test_load_demo_adds_a_labelled_sample_edition_open_for_registration(demo):
    sample = Event.objects.get(slug="sample-upcoming-edition")
    assert "not a real event" in sample.title_en
    assert sample.registration_state() == Event.RegistrationState.OPEN
    assert sample.venues.filter(capacity__isnull=False).count() == 4
    # Made up from top to bottom: nothing of it counts toward or names the real series.
    assert sample.series != demo.series
    assert "not a real" in sample.series.name_en
    assert [h.organization.slug for h in sample.host_roles.all()] == ["sample-organizer"]


def test_load_demo_moves_an_earlier_sample_out_of_the_real_series(demo):
    sample = Event.objects.get(slug="sample-upcoming-edition")
    Event.objects.filter(pk=sample.pk).update(series=demo.series)
    call_command("load_demo", verbosity=0)
    sample.refresh_from_db()
    assert sample.series.slug == "sample-series"


def test_load_demo_twice_changes_nothing(demo):
    before = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == before
    assert Series.objects.count() == 2  # the real series and the sample's


# Fields that stay without Chinese on purpose: people's names are romanised where no source
# gives the characters, and no source gives the Xicheng bureau's Chinese name.
ROMANISED = {
    ("Person", "name"),
    ("Organization:xicheng-district-economic-promotion-bureau", "name"),
}


def _seed_records(event):
    """Everything the seed edition's pages show: the edition and what it links to."""
    organizations = {h.organization for h in event.host_roles.all()}
    agreements = list(event.agreements.all())
    for agreement in agreements:
        organizations.update(p.organization for p in agreement.party_roles.all())
    organizations.update(o.parent for o in list(organizations) if o.parent)
    people = list(
        Person.objects.filter(organization__in=[*organizations, *_children(organizations)])
    )
    organizations.update(_children(organizations))
    yield event.series
    yield event
    yield from event.venues.all()
    for session in event.sessions.all():
        yield session
        yield from session.speaker_roles.all()
    yield from agreements
    yield from people
    yield from organizations
    yield from KeyFigure.objects.filter(series=event.series)
    yield from KeyFigure.objects.filter(event=event)
    yield from KeyFigure.objects.filter(organization__in=organizations)
    yield from event.photos.all()


def _children(organizations):
    return set(Organization.objects.filter(parent__in=organizations))


def test_load_demo_gives_every_seed_text_in_chinese(demo):
    missing = []
    for record in _seed_records(demo):
        name = type(record).__name__
        slug = getattr(record, "slug", None)
        for field in translated_fields(type(record)):
            english, chinese = getattr(record, f"{field}_en"), getattr(record, f"{field}_zh_hans")
            exempt = (name, field) in ROMANISED or (f"{name}:{slug}", field) in ROMANISED
            if english and not chinese and not exempt:
                missing.append(f"{name} {record.pk} {field}: {english}")
    assert not missing, missing
