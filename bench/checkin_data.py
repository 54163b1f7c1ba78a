"""Made-up delegates for the check-in benchmarks: one edition, N approved delegates with
Chinese and English names spread over institutions, three sub-venues and the categories."""

import datetime
import random

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗欧阳司马"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"


def create_edition(*, delegates: int, per_institution: int = 4, seed: int = 14):
    """Return (event, [delegate ids]) after bulk-creating everything."""
    from django.utils import timezone

    from events.models import Event, Series, Venue
    from organizations.models import Organization
    from registrations.models import Delegate, Participation

    rng = random.Random(seed)  # noqa: S311 (made-up names, the same on every run)
    host = Organization.objects.create(name_en="Bench host", slug="bench-host", kind="government")
    series = Series.objects.create(name_en="Bench series", slug="bench-series", organizer=host)
    day = timezone.localdate() + datetime.timedelta(days=1)
    event = Event.objects.create(
        series=series,
        title_en="Bench edition",
        title_zh_hans="基准测试活动",
        slug="bench-edition",
        start_date=day,
        end_date=day,
        city_en="Shenzhen",
        is_published=True,
    )
    venues = [
        Venue.objects.create(event=event, name_en=f"Sub-venue {n}", name_zh_hans=f"分会场{n}")
        for n in range(1, 4)
    ]
    kinds = ["vc_firm", "pe_firm", "government", "media", "enterprise"]
    institutions = delegates // per_institution + 1
    organizations = Organization.objects.bulk_create(
        Organization(
            name_en=f"Bench Capital {n}",
            name_zh_hans=f"基准创投{n}号",
            slug=f"bench-capital-{n}",
            kind=kinds[n % len(kinds)],
        )
        for n in range(institutions)
    )
    participations = Participation.objects.bulk_create(
        Participation(
            event=event,
            organization=organization,
            contact_name="Bench",
            contact_email=f"bench{n}@example.com",
            delegates=per_institution,
            status=Participation.Status.APPROVED,
        )
        for n, organization in enumerate(organizations)
    )
    categories = [choice for choice, _label in Delegate.Category.choices]
    rows = []
    for n in range(delegates):
        surname = rng.choice(SURNAMES)
        rows.append(
            Delegate(
                participation=participations[n // per_institution],
                name_zh=surname + "".join(rng.choices(GIVEN, k=rng.choice([1, 2]))),
                name_en=f"Delegate {n}",
                position="合伙人" if n % 3 else "投资经理",
                mobile=f"+86 138 {n // 10000:04d} {n % 10000:04d}",
                category=categories[n % len(categories)],
                order=n % per_institution,
            )
        )
    created = Delegate.objects.bulk_create(rows, batch_size=2000)
    through = Delegate.venues.through
    through.objects.bulk_create(
        (
            through(delegate_id=delegate.pk, venue_id=venues[n % 3].pk)
            for n, delegate in enumerate(created)
        ),
        batch_size=5000,
    )
    return event, [delegate.pk for delegate in created]
