"""Made-up meetings of the sample edition (never of the real seed edition): two made-up
projects, profiles for them and for the sample investor, a round of slots at four tables, one
confirmed meeting and one "must meet" wish for the generated schedule. Written once; a rerun
keeps what was changed since."""

import datetime

from django.utils import timezone

from events.models import Event, Venue
from meetings import services as meeting_services
from meetings.models import (
    Meeting,
    MeetingPreference,
    MeetingProfile,
    MeetingRound,
    MeetingSeat,
    MeetingSettings,
)
from organizations.models import Organization
from registrations import services as registration_services
from registrations.models import Participation

#: (slug, English name, Chinese name, delegate (Chinese, English, position), sector, stage,
#: amount sought in yuan, pitch in English and Chinese). Every name is invented and says so.
SAMPLE_PROJECTS = [
    (
        "sample-robotics",
        "Sample Robotics (demo)",
        "示例机器人（演示）",
        ("陈样例", "Chen Yangli", "创始人（演示）"),
        "hardware",
        "early",
        30_000_000,
        "Made-up project: warehouse robots (demo data).",
        "虚构项目：仓储机器人（演示数据）。",
    ),
    (
        "sample-biotech",
        "Sample Biotech (demo)",
        "示例生物科技（演示）",
        ("刘演示", "Liu Yanshi", "首席执行官（演示）"),
        "biotech",
        "seed",
        8_000_000,
        "Made-up project: diagnostic kits (demo data).",
        "虚构项目：诊断试剂盒（演示数据）。",
    ),
]


def load_sample_meetings(sample: Event) -> None:
    if MeetingRound.objects.filter(event=sample).exists():
        return
    MeetingSettings.objects.get_or_create(event=sample)
    venue = sample.venues.filter(kind=Venue.Kind.SUB).order_by("order").first()
    start = timezone.make_aware(datetime.datetime.combine(sample.start_date, datetime.time(14)))
    meeting_round = MeetingRound.objects.create(
        event=sample,
        venue=venue,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        slot_minutes=20,
        break_minutes=5,
        tables=4,
    )
    meeting_services.round_generate(meeting_round=meeting_round)
    projects = []
    for (
        slug,
        name_en,
        name_zh,
        person,
        sector,
        stage,
        amount,
        pitch_en,
        pitch_zh,
    ) in SAMPLE_PROJECTS:
        organization, _created = Organization.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": name_en,
                "name_zh_hans": name_zh,
                "kind": Organization.Kind.ENTERPRISE,
            },
        )
        participation = Participation.objects.filter(
            event=sample, organization=organization
        ).first()
        if participation is None:
            participation = Participation.objects.create(
                event=sample,
                organization=organization,
                contact_name=person[1],
                contact_email=f"{slug}@example.com",
                language="zh-hans",
                # Written as approved: no e-mail to made-up addresses.
                status=Participation.Status.APPROVED,
            )
            registration_services.delegates_replace(
                participation=participation,
                delegates=[
                    registration_services.DelegateData(
                        name_zh=person[0], name_en=person[1], position=person[2]
                    )
                ],
            )
        MeetingProfile.objects.get_or_create(
            participation=participation,
            defaults={
                "side": MeetingProfile.Side.PROJECT,
                "sectors": f",{sector},",
                "stages": f",{stage},",
                "amount_sought_yuan": amount,
                "pitch_en": pitch_en,
                "pitch_zh_hans": pitch_zh,
            },
        )
        projects.append(participation)
    investor = Participation.objects.filter(
        event=sample, organization__slug="sample-capital"
    ).first()
    if investor is None:
        return
    MeetingProfile.objects.get_or_create(
        participation=investor,
        defaults={
            "side": MeetingProfile.Side.INVESTOR,
            "sectors": ",ai,hardware,biotech,",
            "stages": ",seed,early,",
            "ticket_min_yuan": 5_000_000,
            "ticket_max_yuan": 50_000_000,
            "regions_en": "Greater Bay Area (demo)",
            "regions_zh_hans": "粤港澳大湾区（演示）",
            "pitch_en": "Made-up investor: early-stage hardware and health (demo data).",
            "pitch_zh_hans": "虚构投资方：早期硬件与健康领域（演示数据）。",
        },
    )
    # One confirmed meeting, written directly: no e-mail to made-up addresses.
    slot = meeting_round.slots.order_by("starts_at").first()
    table = meeting_round.table_set.order_by("number").first()
    requester = investor.delegate_list.order_by("order", "pk").first()
    invitee = projects[0].delegate_list.first()
    meeting = Meeting.objects.create(
        event=sample,
        slot=slot,
        table=table,
        requester=requester,
        invitee=invitee,
        status=Meeting.Status.ACCEPTED,
        message="Sample request (demo data).",
        answered_at=timezone.now(),
    )
    MeetingSeat.objects.bulk_create(
        [MeetingSeat(meeting=meeting, delegate=d, slot=slot) for d in (requester, invitee)]
    )
    MeetingPreference.objects.get_or_create(
        participation=investor, target=projects[1], defaults={"level": MeetingPreference.Level.MUST}
    )
