import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from events.models import Agreement, AgreementParty, Event, SessionSpeaker, Venue
from organizations.models import Organization
from registrations.models import Participation
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    EventFactory,
    EventHostFactory,
    KeyFigureFactory,
    OrganizationFactory,
    ParticipationFactory,
    PersonFactory,
    PhotoFactory,
    SessionFactory,
    SessionSpeakerFactory,
    VenueFactory,
)

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


@dataclass
class Edition:
    event: Event
    host: Organization
    ai_venue: Venue
    agreement: Agreement


def grow(edition: Edition, institutions: int) -> None:
    """Add public participants, hidden registrations and agreements to an edition."""
    kinds = [Organization.Kind.VC_FIRM, Organization.Kind.PE_FIRM, Organization.Kind.ENTERPRISE]
    for index in range(institutions):
        organization = OrganizationFactory(kind=kinds[index % 3])
        ParticipationFactory(
            event=edition.event,
            organization=organization,
            status=Participation.Status.APPROVED,
            listed_publicly=True,
        )
        if index % 10 == 0:
            agreement = AgreementFactory(
                event=edition.event,
                kind=Agreement.Kind.INVESTMENT,
                amount_yuan=Decimal(50_000_000),
            )
            AgreementPartyFactory(agreement=agreement, organization=organization)
            AgreementPartyFactory(
                agreement=agreement, organization=edition.host, role=AgreementParty.Role.WITNESS
            )
            KeyFigureFactory(series=None, organization=organization, label_en="Funds raised")
    # Registrations the public must never see.
    ParticipationFactory.create_batch(
        max(institutions // 10, 1), event=edition.event, status=Participation.Status.PENDING
    )


@pytest.fixture
def edition(db) -> Edition:
    """An edition like the seed's: a host, a main venue and an AI sub-venue, agenda, MoU."""
    event = EventFactory(
        title_en="Venture Capital Day of Shenzhen 2024",
        title_zh_hans="深圳创投日2024",
        slug="vc-day-2024",
        summary_en="Investors from Beijing and Shenzhen meet.",
        summary_zh_hans="京深投资机构齐聚。",
        start_date=datetime.date(2024, 5, 22),
        end_date=datetime.date(2024, 5, 22),
        city_en="Beijing",
        city_zh_hans="北京",
        series__name_en="Venture Capital Day of Shenzhen",
        series__name_zh_hans="深圳创投日",
        series__slug="vc-day",
    )
    host = OrganizationFactory(
        name_en="Luohu District People's Government",
        name_zh_hans="深圳市罗湖区人民政府",
        slug="luohu",
        kind=Organization.Kind.GOVERNMENT,
    )
    EventHostFactory(event=event, organization=host)
    VenueFactory(event=event, kind=Venue.Kind.MAIN, name_en="Main venue", name_zh_hans="主会场")
    ai_venue = VenueFactory(
        event=event,
        name_en="AI sub-venue",
        name_zh_hans="人工智能分会场",
        theme_en="Artificial intelligence",
        theme_zh_hans="人工智能",
        order=1,
    )
    session = SessionFactory(
        event=event,
        venue=ai_venue,
        title_en="AI and capital",
        title_zh_hans="人工智能与资本",
        starts_at=datetime.datetime(2024, 5, 22, 14, 0, tzinfo=BEIJING),
        ends_at=datetime.datetime(2024, 5, 22, 15, 30, tzinfo=BEIJING),
    )
    mayor = PersonFactory(
        name_en="Zuo Jinping",
        position_en="Mayor of Luohu District",
        position_zh_hans="罗湖区区长",
        organization=host,
        email="mayor-private@example.com",
        phone="+86 755 0000 0000",
    )
    SessionSpeakerFactory(session=session, person=mayor, role=SessionSpeaker.Role.KEYNOTE)
    media = OrganizationFactory(
        name_en="People's Daily Online", name_zh_hans="人民网", slug="peoples-daily-online"
    )
    agreement = AgreementFactory(
        event=event,
        title_en="MoU on an AI-driven innovation accelerator",
        title_zh_hans="共建人工智能创新加速器合作备忘录",
        purpose_en="Set up an accelerator together.",
        amount_yuan=Decimal(100_000_000_000),
    )
    AgreementPartyFactory(agreement=agreement, organization=host)
    AgreementPartyFactory(agreement=agreement, organization=media, order=1)
    KeyFigureFactory(
        series=None,
        event=event,
        label_en="Private equity and venture capital firms in Shenzhen",
        label_zh_hans="深圳私募股权和创业投资管理机构",
        value=Decimal(1700),
    )
    KeyFigureFactory(
        series=event.series,
        label_en="Fund cooperation facilitated by the series",
        label_zh_hans="促成基金合作",
        qualifier="over",
        unit="yuan",
        value=Decimal(100_000_000_000),
        usd_equivalent=Decimal(13_800_000_000),
        usd_rate=Decimal("7.25"),
        usd_rate_on=datetime.date(2024, 5, 27),
        usd_rate_source_en="Test rate",
    )
    PhotoFactory(
        event=event,
        venue=ai_venue,
        caption_en="The AI sub-venue",
        caption_zh_hans="人工智能分会场",
        credit="People's Daily Online/Wang Shaoshao",
    )
    return Edition(event=event, host=host, ai_venue=ai_venue, agreement=agreement)


@pytest.fixture(autouse=True)
def _english_by_default():
    """A request leaves its language active in the thread; start every test in English."""
    with translation.override("en"):
        yield
