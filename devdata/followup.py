"""Follow-up data of the demo.

The real 2024 MoU gets a follow-up record at *signed* and nothing more: the sources say nothing
about what happened after the signature, so no progress is invented. A made-up *past* sample
edition in the sample series (its agreements have to be signed already to have progress) carries
made-up agreements, stages, capital in place and evidence, all labelled as sample data, with a
sample office and a sample follow-up officer (``sample-officer``, no password: set one with
``manage.py changepassword sample-officer`` to try the officer's view).
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from events.models import Agreement, AgreementParty, Event, EventHost, KeyFigure, Series
from followup.models import FollowUp, HeadlineFigure, Office, Stage
from followup.services import (
    capital_entry_record,
    capital_entry_verify,
    followup_open,
    followup_stage_change,
)
from organizations.models import Organization

SAMPLE_PAST_SLUG = "sample-past-edition"
SAMPLE_OFFICE = "示例投资促进办公室（演示数据）Sample investment promotion office (demo)"
SAMPLE_OFFICER = "sample-officer"

#: (title en, title zh, kind, announced yuan, contracted (amount, currency), stages as
#: (stage, days after signing, reason), capital entries as (amount, currency, days, kind)).
SAMPLE_AGREEMENTS = [
    (
        "Sample: smart manufacturing base (made up)",
        "示例：智能制造基地（虚构）",
        Agreement.Kind.INVESTMENT,
        Decimal("2000000000"),
        (Decimal("1500000000"), "CNY"),
        [
            (Stage.COMPANY_REGISTERED, 40, ""),
            (Stage.CONSTRUCTION_STARTED, 120, ""),
            (Stage.CAPITAL_PARTLY, 200, ""),
        ],
        [(Decimal("300000000"), "CNY", 150, "equity"), (Decimal("200000000"), "CNY", 190, "loan")],
    ),
    (
        "Sample: biomedicine fund (made up)",
        "示例：生物医药基金（虚构）",
        Agreement.Kind.FUND_COOPERATION,
        Decimal("1000000000"),
        (Decimal("1000000000"), "CNY"),
        [(Stage.COMPANY_REGISTERED, 30, ""), (Stage.CAPITAL_FULLY, 210, "")],
        [(Decimal("1000000000"), "CNY", 200, "fund_contribution")],
    ),
    (
        "Sample: overseas semiconductor investment (made up)",
        "示例：境外半导体投资（虚构）",
        Agreement.Kind.INVESTMENT,
        Decimal("700000000"),
        (Decimal("100000000"), "USD"),
        [(Stage.COMPANY_REGISTERED, 60, ""), (Stage.OPERATING, 300, "")],
        [(Decimal("40000000"), "USD", 100, "equity")],
    ),
    (
        "Sample: AI computing centre memorandum (made up)",
        "示例：人工智能算力中心合作备忘录（虚构）",
        Agreement.Kind.MOU,
        Decimal("500000000"),
        None,
        [
            (
                Stage.SUSPENDED,
                90,
                "示例原因：用地尚未落实（虚构）。Sample reason: the site is not ready (made up).",
            )
        ],
        [],
    ),
    (
        "Sample: new energy logistics memorandum (made up)",
        "示例：新能源物流合作备忘录（虚构）",
        Agreement.Kind.MOU,
        None,
        None,
        [
            (
                Stage.TERMINATED,
                150,
                "示例原因：投资方撤回（虚构）。Sample reason: the investor withdrew (made up).",
            )
        ],
        [],
    ),
    (
        "Sample: strategic cooperation on talent (made up)",
        "示例：人才战略合作（虚构）",
        Agreement.Kind.STRATEGIC_COOPERATION,
        None,
        None,
        [],
        [],
    ),
]


def load_followup_demo(*, mou: Agreement, series: Series, organizer: Organization) -> None:
    """Create the demo's follow-up data once (a repeated run leaves it as it is)."""
    if not FollowUp.objects.filter(agreement=mou).exists():
        # A fact: the MoU was signed on the day; nothing more is known (and nothing is hidden).
        followup_open(
            agreement=mou,
            reference="VCD2024-MOU-01",
            publish_stage=True,
            publish_amounts=True,
            publish_realised=True,
        )
    # The series' reported "fund cooperation facilitated" is a claim about agreements: shown
    # beside what the records compute (marking it states no new fact).
    fund_cooperation = KeyFigure.objects.filter(
        series=mou.event.series, label_en="Fund cooperation facilitated by the series"
    ).first()
    if fund_cooperation is not None:
        HeadlineFigure.objects.get_or_create(key_figure=fund_cooperation)
    if Event.objects.filter(slug=SAMPLE_PAST_SLUG).exists():
        return
    today = timezone.localdate()
    signed = today - datetime.timedelta(days=400)
    edition = Event.objects.create(
        slug=SAMPLE_PAST_SLUG,
        series=series,
        title_en="Sample past edition (demo, not a real event)",
        title_zh_hans="示例往届活动（演示数据，并非真实活动）",
        summary_en="A made-up past edition to show how signed agreements are followed up.",
        summary_zh_hans="用于展示签约项目跟踪的虚构往届活动，内容均非真实。",
        start_date=signed,
        end_date=signed,
        city_en="Shenzhen",
        city_zh_hans="深圳",
        is_published=True,
    )
    EventHost.objects.create(event=edition, organization=organizer, role=EventHost.Role.HOST)
    office, _ = Office.objects.get_or_create(
        name=SAMPLE_OFFICE, defaults={"email": "office@example.com"}
    )
    officer, created = get_user_model().objects.get_or_create(
        username=SAMPLE_OFFICER,
        defaults={"is_staff": True, "email": "sample-officer@example.com"},
    )
    if created:
        officer.set_unusable_password()
        officer.save(update_fields=["password"])
    # The group comes from followup's migration (missing only after a database flush).
    if group := Group.objects.filter(name="Follow-up officers").first():
        officer.groups.add(group)
    office.members.add(officer)
    for number, (title_en, title_zh, kind, announced, contracted, stages, entries) in enumerate(
        SAMPLE_AGREEMENTS, start=1
    ):
        agreement = Agreement.objects.create(
            event=edition,
            kind=kind,
            title_en=title_en,
            title_zh_hans=title_zh,
            signed_on=signed,
            amount_yuan=announced,
        )
        AgreementParty.objects.create(agreement=agreement, organization=organizer)
        followup = followup_open(
            agreement=agreement,
            reference=f"SAMPLE-{number:02d}",
            office=office,
            case_officer=officer,
            next_follow_up_on=today - datetime.timedelta(days=number * 3 - 6),
            notes="虚构的示例备注。Made-up sample notes.",
            contracted_amount=contracted[0] if contracted else None,
            contracted_currency=contracted[1] if contracted else "CNY",
            publish_stage=number != 6,
            publish_amounts=True,
            publish_realised=True,
        )
        for stage, days, reason in stages:
            followup_stage_change(
                followup=followup,
                stage=stage,
                on=signed + datetime.timedelta(days=days),
                reason=reason,
                by=officer,
                today=today,
            )
        for amount, currency, days, entry_kind in entries:
            entry = capital_entry_record(
                followup=followup,
                amount=amount,
                currency=currency,
                received_on=signed + datetime.timedelta(days=days),
                kind=entry_kind,
                evidence=ContentFile(
                    b"Sample evidence (made up, not a real bank statement).\n",
                    name=f"sample-statement-{number:02d}-{days}.txt",
                ),
                by=officer,
                today=today,
            )
            capital_entry_verify(entry=entry, by=officer)
