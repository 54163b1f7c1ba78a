"""The demo data: the seed's edition (Venture Capital Day of Shenzhen, Beijing, 22 May 2024)
and one clearly labelled sample upcoming edition to try registration with.

Facts come from the seed article only; the sentences are our own. A Chinese text is given only
where it is certain (place names, generic terms); everything else falls back to English.
"""

import datetime
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from common.signals import demo_loaded
from events.models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Photo,
    Series,
    Session,
    SessionSpeaker,
    Venue,
)
from organizations.models import Organization, Person
from registrations import services as registration_services
from registrations.models import Delegate, Participation

EVENT_DAY = datetime.date(2024, 5, 22)
ARTICLE = "Shenzhen hosts venture capital event in Beijing, eyes innovation boost (27 May 2024)"
PHOTO_CREDIT = "People's Daily Online/Wang Shaoshao"
PLACEHOLDER_ALT = "Placeholder image generated for the demo; the original photo is not included."
PLACEHOLDER_ALT_ZH = "演示用占位图片，未包含原始照片。"
SAMPLE_SLUG = "sample-upcoming-edition"


def _sync(model, *, defaults: dict | None = None, **lookup):
    """Get or create a row and update only the fields that differ (so timestamps stay put)."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, defaults[name])
    if changed:
        obj.save(update_fields=[*changed, *_auto_now_fields(model)])
    return obj, False


def _auto_now_fields(model) -> list[str]:
    return [f.name for f in model._meta.fields if getattr(f, "auto_now", False)]


def _placeholder_jpeg(label: str) -> ContentFile:
    image = Image.new("RGB", (1200, 800), (38, 70, 120))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 1160, 760), outline=(200, 210, 230), width=6)
    draw.text((80, 360), f"Placeholder image - {label}", fill=(255, 255, 255), font_size=44)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue())


def _organization(slug: str, **fields) -> Organization:
    organization, _ = _sync(Organization, slug=slug, defaults=fields)
    return organization


@transaction.atomic
def load_demo() -> Event:
    """Create or update the demo data; running it again changes nothing."""
    luohu = _organization(
        "luohu-district-peoples-government",
        name_en="Luohu District People's Government",
        name_zh_hans="深圳市罗湖区人民政府",
        kind=Organization.Kind.GOVERNMENT,
        city_en="Shenzhen",
        city_zh_hans="深圳",
        district_en="Luohu",
        district_zh_hans="罗湖区",
        description_en=(
            "The government of Luohu District in Shenzhen, Guangdong Province. The district "
            "describes its economy as spanning finance, trade, business services and strategic "
            "emerging industries."
        ),
    )
    xicheng = _organization(
        "xicheng-district-beijing",
        name_en="Xicheng District, Beijing",
        name_zh_hans="北京市西城区",
        kind=Organization.Kind.GOVERNMENT,
        city_en="Beijing",
        city_zh_hans="北京",
        district_en="Xicheng",
        district_zh_hans="西城区",
        description_en=(
            "A district of Beijing with a thriving financial industry, whose financial "
            "institutions hold assets of over 150 trillion yuan; a key participant in the 2024 "
            "Venture Capital Day of Shenzhen."
        ),
    )
    xicheng_bureau = _organization(
        "xicheng-district-economic-promotion-bureau",
        name_en="Economic Promotion Bureau of Xicheng District",
        kind=Organization.Kind.GOVERNMENT,
        parent=xicheng,
        city_en="Beijing",
        city_zh_hans="北京",
        district_en="Xicheng",
        district_zh_hans="西城区",
    )
    people_daily = _organization(
        "peoples-daily-online",
        name_en="People's Daily Online",
        name_zh_hans="人民网",
        kind=Organization.Kind.MEDIA,
    )
    platform_828 = _organization(
        "828-enterprise-service-platform",
        name_en="828 Enterprise Service Platform",
        kind=Organization.Kind.PLATFORM,
        parent=people_daily,
        description_en="An enterprise service platform run by People's Daily Online.",
    )

    series, _ = _sync(
        Series,
        slug="venture-capital-day-of-shenzhen",
        defaults={
            "name_en": "Venture Capital Day of Shenzhen",
            "organizer": luohu,
            "description_en": (
                "A recurring event that brings venture capital institutions together with "
                "governments, enterprises and innovation projects. By May 2024 it had gathered "
                "more than 6,000 venture capital institutions."
            ),
        },
    )
    event, _ = _sync(
        Event,
        slug="venture-capital-day-of-shenzhen-2024",
        defaults={
            "series": series,
            "title_en": "Venture Capital Day of Shenzhen 2024",
            "summary_en": (
                "Luohu District of Shenzhen brought its Venture Capital Day to Beijing, "
                "linking the two cities' investors, financial industry and technology companies."
            ),
            "description_en": (
                "Held in Beijing on 22 May 2024 and hosted by Luohu District of Shenzhen, the "
                "edition set out to raise the profile of industrial innovation, foster new "
                "quality productive forces, strengthen the industrial ecosystem and bring "
                "Beijing and Shenzhen to develop together. Officials of both cities, "
                "representatives of science and technology projects and venture capital "
                "investors met in one main venue and four sub-venues."
            ),
            "start_date": EVENT_DAY,
            "end_date": EVENT_DAY,
            "city_en": "Beijing",
            "city_zh_hans": "北京",
            "is_published": True,
        },
    )
    for order, (organization, role) in enumerate(
        [(luohu, EventHost.Role.HOST), (xicheng, EventHost.Role.PARTICIPANT)]
    ):
        _sync(
            EventHost, event=event, organization=organization, role=role, defaults={"order": order}
        )

    def venue(name_en, order, **fields):
        obj, _ = _sync(Venue, event=event, name_en=name_en, defaults={"order": order, **fields})
        return obj

    venue("Main venue", 0, kind=Venue.Kind.MAIN, name_zh_hans="主会场")
    ai_venue = venue(
        "Artificial intelligence sub-venue",
        1,
        name_zh_hans="人工智能分会场",
        theme_en="Artificial intelligence",
        theme_zh_hans="人工智能",
    )
    for order, letter in enumerate("ABC", start=2):
        venue(f"Sub-venue {letter}", order, name_zh_hans=f"分会场{letter}")

    zuo = _person(
        "Zuo Jinping",
        organization=luohu,
        position_en="Mayor of Luohu District",
        position_zh_hans="罗湖区区长",
    )
    # Quoted on Xicheng's figures; the seed does not say he spoke in a session.
    _person(
        "Cheng Xue",
        organization=xicheng_bureau,
        position_en="Director",
    )

    def session(title_en, order, *, venue=None, description_en="", speakers=()):
        obj, _ = _sync(
            Session,
            event=event,
            title_en=title_en,
            defaults={"venue": venue, "order": order, "description_en": description_en},
        )
        for position, person in enumerate(speakers):
            _sync(SessionSpeaker, session=obj, person=person, defaults={"order": position})
        obj.speaker_roles.exclude(person__in=speakers).delete()
        return obj

    session(
        "Luohu's industries and investment advantages",
        0,
        speakers=[zuo],
        description_en=(
            "The mayor of Luohu presented the district's industries (finance, trade, business "
            "services, strategic emerging industries) and its support for enterprises with "
            "space, policies and funding, and called for closer ties between the financial "
            "and high-tech industries of Beijing and Shenzhen."
        ),
    )
    session(
        "Channelling venture capital into the real economy",
        1,
        description_en=(
            "Officials from Beijing and Shenzhen, representatives of science and technology "
            "projects and venture capital investors discussed how venture capital can "
            "strengthen the real economy and new quality productive forces."
        ),
    )
    session("Innovative allocation of financial resources", 2)
    session("Cutting-edge technologies such as artificial intelligence", 3, venue=ai_venue)
    session("Strategies for cultivating new quality productive forces", 4)

    mou, _ = _sync(
        Agreement,
        event=event,
        kind=Agreement.Kind.MOU,
        title_en="Memorandum of understanding on an AI-driven innovation accelerator",
        defaults={
            "signed_on": EVENT_DAY,
            "purpose_en": (
                "The two signatories agreed to set up an innovation accelerator driven by "
                "artificial intelligence together, built on People's Daily Online's 828 "
                "Enterprise Service Platform, to help generate new quality productive forces."
            ),
        },
    )
    for order, (organization, role) in enumerate(
        [
            (luohu, AgreementParty.Role.SIGNATORY),
            (people_daily, AgreementParty.Role.SIGNATORY),
            (platform_828, AgreementParty.Role.PLATFORM),
        ]
    ):
        _sync(
            AgreementParty,
            agreement=mou,
            organization=organization,
            defaults={"role": role, "order": order},
        )

    _load_key_figures(series=series, event=event, luohu=luohu, xicheng=xicheng)
    _load_photos(event=event, ai_venue=ai_venue)
    sample = _load_sample_edition()
    _load_sample_delegations(sample)
    demo_loaded.send(sender=load_demo, sample=sample)
    return event


def _person(name_en: str, *, organization: Organization, **fields) -> Person:
    person, _ = _sync(Person, name_en=name_en, organization=organization, defaults=fields)
    return person


def _figure(subject: dict, label_en: str, order: int, **fields) -> None:
    _sync(
        KeyFigure,
        **subject,
        label_en=label_en,
        defaults={"order": order, "source_en": ARTICLE, **fields},
    )


def _load_key_figures(*, series, event, luohu, xicheng) -> None:
    over, exact = KeyFigure.Qualifier.OVER, KeyFigure.Qualifier.EXACT
    count, yuan = KeyFigure.Unit.COUNT, KeyFigure.Unit.YUAN
    reported_on = datetime.date(2024, 5, 27)
    end_of_march = datetime.date(2024, 3, 31)
    rows = [
        (
            {"series": series},
            [
                ("Venture capital institutions gathered by the series", over, 6000, count,
                 {"as_of": reported_on}),
                ("Fund cooperation facilitated by the series", over, 100_000_000_000, yuan,
                 {"as_of": reported_on, "usd_equivalent": Decimal(13_800_000_000)}),
            ],
        ),
        (
            {"event": event},
            [
                ("Private equity and venture capital management firms in Shenzhen", exact,
                 1700, count, {"as_of": end_of_march}),
                ("Combined management scale of those Shenzhen firms", over,
                 1_500_000_000_000, yuan, {"as_of": end_of_march}),
                ("Innovation-driven enterprises nationwide in which they had invested", exact,
                 13000, count, {"as_of": end_of_march}),
                ("Their investment in high-tech companies", exact, 370_000_000_000, yuan,
                 {"as_of": end_of_march}),
            ],
        ),
        (
            {"organization": luohu},
            [
                ("Strategic emerging enterprises in Luohu", exact, 936, count, {}),
                ("National high-tech enterprises in Luohu", exact, 618, count, {}),
                ("Specialized and sophisticated enterprises in Luohu", exact, 261, count, {}),
                ("Innovation carriers in Luohu (2 national, 44 provincial, 57 municipal)",
                 exact, 103, count, {}),
            ],
        ),
        (
            {"organization": xicheng},
            [
                ("Asset scale of financial institutions in Xicheng (about one third of the "
                 "national total)", over, 150_000_000_000_000, yuan,
                 {"source_en": f"Cheng Xue, quoted in {ARTICLE}"}),
            ],
        ),
    ]  # fmt: skip
    for subject, figures in rows:
        for order, (label, qualifier, value, unit, extra) in enumerate(figures):
            _figure(
                subject, label, order, qualifier=qualifier, value=Decimal(value), unit=unit, **extra
            )


def _load_photos(*, event, ai_venue) -> None:
    photos = [
        (
            "Luohu District of Shenzhen holds the Venture Capital Day of Shenzhen in Beijing, "
            "22 May 2024.",
            None,
        ),
        (
            "A sub-venue themed on artificial intelligence, Beijing, 22 May 2024.",
            ai_venue,
        ),
    ]
    for order, (caption, venue) in enumerate(photos):
        photo, created = Photo.objects.get_or_create(
            event=event,
            caption_en=caption,
            defaults={
                "venue": venue,
                "order": order,
                "credit": PHOTO_CREDIT,
                "alt_text_en": PLACEHOLDER_ALT,
                "alt_text_zh_hans": PLACEHOLDER_ALT_ZH,
            },
        )
        if created or not photo.image:
            image = _placeholder_jpeg(f"photo {order + 1}")
            photo.image.save(f"demo-{event.slug}-{order}.jpg", image)


def _load_sample_edition() -> Event:
    """Create the made-up sample edition in a made-up series of its own, so that nothing it
    collects counts toward the real series; its dates are set once, from the first load."""
    organizer = _organization(
        "sample-organizer",
        name_en="Sample organizer (demo, not a real institution)",
        name_zh_hans="示例主办方（演示数据，并非真实机构）",
        kind=Organization.Kind.OTHER,
    )
    series, _ = _sync(
        Series,
        slug="sample-series",
        defaults={
            "name_en": "Sample series (demo, not a real event)",
            "name_zh_hans": "示例系列活动（演示数据，并非真实活动）",
            "organizer": organizer,
        },
    )
    existing = Event.objects.filter(slug=SAMPLE_SLUG).first()
    if existing is not None:
        # Earlier versions put the sample into the real series with a real host.
        Event.objects.filter(pk=existing.pk).update(series=series)
        EventHost.objects.filter(event=existing).exclude(organization=organizer).delete()
        _sync(EventHost, event=existing, organization=organizer, role=EventHost.Role.HOST)
        return existing
    start = timezone.localdate() + datetime.timedelta(days=60)
    closes = datetime.datetime.combine(start - datetime.timedelta(days=10), datetime.time(18))
    sample = Event.objects.create(
        slug=SAMPLE_SLUG,
        series=series,
        title_en="Sample upcoming edition (demo, not a real event)",
        title_zh_hans="示例活动（演示数据，并非真实活动）",
        summary_en="A made-up edition for trying out registration. Nothing here is real.",
        summary_zh_hans="用于试用报名功能的虚构活动，内容均非真实。",
        start_date=start,
        end_date=start,
        start_time=datetime.time(9, 0),
        end_time=datetime.time(17, 30),
        city_en="Shenzhen",
        city_zh_hans="深圳",
        is_published=True,
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        registration_closes_at=timezone.make_aware(closes),
        capacity=200,
    )
    EventHost.objects.create(event=sample, organization=organizer, role=EventHost.Role.HOST)
    Venue.objects.create(
        event=sample,
        kind=Venue.Kind.MAIN,
        name_en="Main venue",
        name_zh_hans="主会场",
        capacity=200,
    )
    for order, (letter, capacity) in enumerate([("A", 60), ("B", 40), ("C", 10)], start=1):
        Venue.objects.create(
            event=sample,
            name_en=f"Sample sub-venue {letter}",
            name_zh_hans=f"示例分会场{letter}",
            capacity=capacity,
            order=order,
        )
    return sample


#: Made-up delegations of the sample edition, to try badges and check-in: (slug, English and
#: Chinese name, kind, delegates as (Chinese name, English name, position, category, sub-venue
#: letters)). Every name is invented and says so.
SAMPLE_DELEGATIONS = [
    (
        "sample-district-office",
        "Sample district office (demo)",
        "示例区投资促进局（演示）",
        Organization.Kind.GOVERNMENT,
        [
            ("张示例", "Zhang Shili", "局长（演示）", Delegate.Category.OFFICIAL, "A"),
            ("李演示", "Li Yanshi", "副局长（演示）", Delegate.Category.OFFICIAL, ""),
        ],
    ),
    (
        "sample-capital",
        "Sample Capital (demo)",
        "示例创投（演示）",
        Organization.Kind.VC_FIRM,
        [
            ("王样本", "Wang Yangben", "合伙人（演示）", Delegate.Category.VIP, "AB"),
            ("", "Alex Sample", "Investment manager (demo)", Delegate.Category.INVESTOR, "B"),
            ("欧阳测试", "", "分析师（演示）", Delegate.Category.INVESTOR, "A"),
        ],
    ),
    (
        "sample-news",
        "Sample News (demo)",
        "示例新闻社（演示）",
        Organization.Kind.MEDIA,
        [("赵记者", "Zhao Jizhe", "记者（演示）", Delegate.Category.PRESS, "C")],
    ),
]


def _load_sample_delegations(sample: Event) -> None:
    """Approved made-up registrations with named delegates, once (a rerun keeps edits)."""
    venues = {venue.name_en[-1]: venue for venue in sample.venues.filter(kind=Venue.Kind.SUB)}
    for slug, name_en, name_zh, kind, people in SAMPLE_DELEGATIONS:
        organization = _organization(slug, name_en=name_en, name_zh_hans=name_zh, kind=kind)
        if Participation.objects.filter(event=sample, organization=organization).exists():
            continue
        participation = Participation.objects.create(
            event=sample,
            organization=organization,
            contact_name=people[0][1] or people[0][0],
            contact_email=f"{slug}@example.com",
            delegates=len(people),
            language="zh-hans",
            # Written as approved, like the scale data: no e-mail to made-up addresses.
            status=Participation.Status.APPROVED,
        )
        registration_services.delegates_replace(
            participation=participation,
            delegates=[
                registration_services.DelegateData(
                    name_zh=name_zh,
                    name_en=name_en,
                    position=position,
                    category=category,
                    mobile=f"+86 138 0000 {index:04d}",
                    venues=tuple(venues[letter] for letter in letters if letter in venues),
                )
                for index, (name_zh, name_en, position, category, letters) in enumerate(
                    people, start=len(slug)
                )
            ],
        )
