"""The demo data: the seed's edition (Venture Capital Day of Shenzhen, Beijing, 22 May 2024)
and one clearly labelled sample upcoming edition to try registration with.

Facts come from the seed article only; the sentences are our own. The Chinese is a faithful
translation of our English (sources of the proper names: /work/notes/zh_content.md, section 1):
深圳创投日 as the Chinese press names the series, the official names of the governments and of
人民网, 828企业服务平台 as People's Daily Online labels it. People's names stay romanised because
the seed gives no characters, and the Xicheng bureau has no Chinese name because none was found
in a source: those fields stay empty and the pages show the English, marked ``lang="en"``.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

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
from organizations.models import Organization, OrganizerContact, Person
from registrations import services as registration_services
from registrations.models import Delegate, Participation

from .followup import load_followup_demo
from .sample_meetings import load_sample_meetings

EVENT_DAY = datetime.date(2024, 5, 22)
ARTICLE = "Shenzhen hosts venture capital event in Beijing, eyes innovation boost (27 May 2024)"
PHOTO_CREDIT = "People's Daily Online/Wang Shaoshao"
# Earlier versions drew a placeholder image under the real credit; it is removed on the next load.
PLACEHOLDER_ALT = "Placeholder image generated for the demo; the original photo is not included."
PHOTO_CREDIT_ZH = "人民网/Wang Shaoshao"
ARTICLE_ZH = (
    "英文报道《Shenzhen hosts venture capital event in Beijing, eyes innovation boost》"
    "（2024年5月27日）"
)
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
        description_zh_hans=(
            "广东省深圳市罗湖区的人民政府。据该区介绍，其经济涵盖金融、商贸、商务服务和"
            "战略性新兴产业。"
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
        description_zh_hans=(
            "北京市的一个城区，金融业繁荣，区内金融机构资产规模超过150万亿元；"
            "是2024年深圳创投日的重要参与方。"
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
        name_zh_hans="828企业服务平台",
        kind=Organization.Kind.PLATFORM,
        parent=people_daily,
        description_en="An enterprise service platform run by People's Daily Online.",
        description_zh_hans="人民网运营的企业服务平台。",
    )

    series, _ = _sync(
        Series,
        slug="venture-capital-day-of-shenzhen",
        defaults={
            "name_en": "Venture Capital Day of Shenzhen",
            "name_zh_hans": "深圳创投日",
            "organizer": luohu,
            "description_en": (
                "A recurring event that brings venture capital institutions together with "
                "governments, enterprises and innovation projects. By May 2024 it had gathered "
                "more than 6,000 venture capital institutions."
            ),
            "description_zh_hans": (
                "持续举办的系列活动，把创投机构与政府、企业和创新项目汇聚在一起。"
                "截至2024年5月，该活动已汇聚超过6000家创投机构。"
            ),
        },
    )
    event, _ = _sync(
        Event,
        slug="venture-capital-day-of-shenzhen-2024",
        defaults={
            "series": series,
            "title_en": "Venture Capital Day of Shenzhen 2024",
            # A neutral translation: the edition's own Chinese title is not known.
            "title_zh_hans": "2024年深圳创投日",
            "summary_en": (
                "Luohu District of Shenzhen brought its Venture Capital Day to Beijing, "
                "linking the two cities' investors, financial industry and technology companies."
            ),
            "summary_zh_hans": (
                "深圳市罗湖区将深圳创投日带到北京，联结京深两地的投资方、金融业和科技企业。"
            ),
            "description_en": (
                "Held in Beijing on 22 May 2024 and hosted by Luohu District of Shenzhen, the "
                "edition set out to raise the profile of industrial innovation, foster new "
                "quality productive forces, strengthen the industrial ecosystem and bring "
                "Beijing and Shenzhen to develop together. Officials of both cities, "
                "representatives of science and technology projects and venture capital "
                "investors met in one main venue and four sub-venues."
            ),
            "description_zh_hans": (
                "本届活动由深圳市罗湖区主办，于2024年5月22日在北京举行，旨在提升产业创新的"
                "影响力、培育新质生产力、强化产业生态，推动北京与深圳协同发展。两市官员、"
                "科技项目代表和创业投资人在一个主会场和四个分会场相聚交流。"
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
    cheng = _person(
        "Cheng Xue",
        organization=xicheng_bureau,
        position_en="Director",
        position_zh_hans="局长",
    )

    def session(title, order, *, venue=None, description=("", ""), speakers=()):
        obj, _ = _sync(
            Session,
            event=event,
            title_en=title[0],
            defaults={
                "title_zh_hans": title[1],
                "venue": venue,
                "order": order,
                "description_en": description[0],
                "description_zh_hans": description[1],
            },
        )
        for position, person in enumerate(speakers):
            # The post held when speaking at this edition (as the seed reports it).
            _sync(
                SessionSpeaker,
                session=obj,
                person=person,
                defaults={
                    "order": position,
                    "position_en": person.position_en,
                    "position_zh_hans": person.position_zh_hans,
                },
            )
        obj.speaker_roles.exclude(person__in=speakers).delete()
        return obj

    session(
        ("Luohu's industries and investment advantages", "罗湖的产业与投资优势"),
        0,
        speakers=[zuo],
        description=(
            "The mayor of Luohu presented the district's industries (finance, trade, business "
            "services, strategic emerging industries) and its support for enterprises with "
            "space, policies and funding, and called for closer ties between the financial "
            "and high-tech industries of Beijing and Shenzhen.",
            "罗湖区区长介绍了该区的产业（金融、商贸、商务服务、战略性新兴产业）以及在空间、"
            "政策和资金方面对企业的支持，并呼吁北京与深圳的金融产业和高新技术产业建立更紧密的"
            "联系。",
        ),
    )
    session(
        ("Channelling venture capital into the real economy", "引导创业投资投向实体经济"),
        1,
        description=(
            "Officials from Beijing and Shenzhen, representatives of science and technology "
            "projects and venture capital investors discussed how venture capital can "
            "strengthen the real economy and new quality productive forces.",
            "京深两地官员、科技项目代表和创业投资人探讨了创业投资如何做强实体经济、"
            "壮大新质生产力。",
        ),
    )
    session(("Innovative allocation of financial resources", "金融资源的创新配置"), 2)
    session(
        ("Cutting-edge technologies such as artificial intelligence", "人工智能等前沿技术"),
        3,
        venue=ai_venue,
    )
    session(("Strategies for cultivating new quality productive forces", "培育新质生产力的策略"), 4)

    mou, _ = _sync(
        Agreement,
        event=event,
        kind=Agreement.Kind.MOU,
        title_en="Memorandum of understanding on an AI-driven innovation accelerator",
        defaults={
            "title_zh_hans": "关于人工智能驱动的创新加速器的合作备忘录",
            "signed_on": EVENT_DAY,
            "purpose_en": (
                "The two signatories agreed to set up an innovation accelerator driven by "
                "artificial intelligence together, built on People's Daily Online's 828 "
                "Enterprise Service Platform, to help generate new quality productive forces."
            ),
            "purpose_zh_hans": (
                "签约双方同意依托人民网828企业服务平台，共同建设由人工智能驱动的创新加速器，"
                "助力催生新质生产力。"
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

    _load_key_figures(series=series, event=event, luohu=luohu, xicheng=xicheng, cheng=cheng)
    _load_photos(event=event, ai_venue=ai_venue)
    sample = _load_sample_edition()
    load_followup_demo(
        mou=mou, series=sample.series, organizer=sample.host_roles.get().organization
    )
    _load_contact()
    _load_sample_delegations(sample)
    load_sample_meetings(sample)
    demo_loaded.send(sender=load_demo, sample=sample)
    return event


def _person(name_en: str, *, organization: Organization, **fields) -> Person:
    person, _ = _sync(Person, name_en=name_en, organization=organization, defaults=fields)
    return person


def _figure(subject: dict, label: tuple[str, str], order: int, **fields) -> None:
    _sync(
        KeyFigure,
        **subject,
        label_en=label[0],
        defaults={
            "label_zh_hans": label[1],
            "order": order,
            "source_en": ARTICLE,
            "source_zh_hans": ARTICLE_ZH,
            **fields,
        },
    )


def _load_key_figures(*, series, event, luohu, xicheng, cheng) -> None:
    over, exact = KeyFigure.Qualifier.OVER, KeyFigure.Qualifier.EXACT
    count, yuan = KeyFigure.Unit.COUNT, KeyFigure.Unit.YUAN
    reported_on = datetime.date(2024, 5, 27)
    end_of_march = datetime.date(2024, 3, 31)
    rows = [
        (
            {"series": series},
            [
                (("Venture capital institutions gathered by the series",
                  "本系列活动汇聚的创投机构"), over, 6000, count, {"as_of": reported_on}),
                (("Fund cooperation facilitated by the series", "本系列活动促成的基金合作金额"),
                 over, 100_000_000_000, yuan,
                 {"as_of": reported_on, "usd_equivalent": Decimal(13_800_000_000)}),
            ],
        ),
        (
            {"event": event},
            [
                (("Private equity and venture capital management firms in Shenzhen",
                  "深圳的私募股权和创业投资管理机构"), exact, 1700, count,
                 {"as_of": end_of_march}),
                (("Combined management scale of those Shenzhen firms",
                  "上述深圳机构的合计管理规模"), over, 1_500_000_000_000, yuan,
                 {"as_of": end_of_march}),
                (("Innovation-driven enterprises nationwide in which they had invested",
                  "上述机构已投资的全国创新型企业"), exact, 13000, count,
                 {"as_of": end_of_march}),
                (("Their investment in high-tech companies", "上述机构对高新技术企业的投资金额"),
                 exact, 370_000_000_000, yuan, {"as_of": end_of_march}),
            ],
        ),
        (
            {"organization": luohu},
            [
                (("Strategic emerging enterprises in Luohu", "罗湖区战略性新兴产业企业"),
                 exact, 936, count, {}),
                (("National high-tech enterprises in Luohu", "罗湖区国家高新技术企业"),
                 exact, 618, count, {}),
                (("Specialized and sophisticated enterprises in Luohu", "罗湖区专精特新企业"),
                 exact, 261, count, {}),
                (("Innovation carriers in Luohu (2 national, 44 provincial, 57 municipal)",
                  "罗湖区创新载体（国家级2个、省级44个、市级57个）"), exact, 103, count, {}),
            ],
        ),
        (
            {"organization": xicheng},
            [
                (("Asset scale of financial institutions in Xicheng (about one third of the "
                  "national total)", "西城区金融机构资产规模（约占全国总量的三分之一）"),
                 over, 150_000_000_000_000, yuan,
                 {"source_en": f"Cheng Xue, quoted in {ARTICLE}",
                  "source_zh_hans": f"Cheng Xue所述，引自{ARTICLE_ZH}",
                  "reported_by": cheng, "reported_by_position_en": "Director",
                  "reported_by_position_zh_hans": "局长"}),
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
            "2024年5月22日，深圳市罗湖区在北京举办深圳创投日。",
            None,
        ),
        (
            "A sub-venue themed on artificial intelligence, Beijing, 22 May 2024.",
            "2024年5月22日，以人工智能为主题的分会场（北京）。",
            ai_venue,
        ),
    ]
    for order, (caption_en, caption_zh, venue) in enumerate(photos):
        photo, _ = _sync(
            Photo,
            event=event,
            caption_en=caption_en,
            defaults={
                "caption_zh_hans": caption_zh,
                "venue": venue,
                "order": order,
                "credit_en": PHOTO_CREDIT,
                "credit_zh_hans": PHOTO_CREDIT_ZH,
            },
        )
        _remove_placeholder(photo)


def _remove_placeholder(photo: Photo) -> None:
    """Remove an image an earlier load_demo drew under the real credit.

    The demo holds no right to reproduce the photos, so it keeps caption and credit and no image;
    an image that staff uploaded since (another file name, other alternative text) stays.
    """
    if not photo.image or photo.alt_text_en != PLACEHOLDER_ALT:
        return
    photo.image.delete(save=False)
    photo.alt_text_en = photo.alt_text_zh_hans = ""
    photo.save(update_fields=["image", "alt_text_en", "alt_text_zh_hans"])


def _load_contact() -> None:
    """A placeholder organizer contact, labelled as such: the seed gives no contact details, so
    none of the real organizer's is invented. Staff replace it in the admin; a contact they
    entered is left alone."""
    if OrganizerContact.objects.exists():
        return
    OrganizerContact.objects.create(
        name_en="Demo site operator (not the real organizer)",
        name_zh_hans="演示站点运营方（并非真实主办方）",
        email="organizer@example.org",
    )


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
            "is_sample": True,
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
