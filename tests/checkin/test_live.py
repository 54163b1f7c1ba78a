"""The live view: arrivals per entrance and list, officials and VIPs not arrived, exports."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from checkin.models import CheckinList, Entrance
from registrations.models import Delegate, Participation
from tests.factories import DelegateFactory, ParticipationFactory

from .conftest import scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def protocol(client):
    user = User.objects.create_user("protocol", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_scan"))
    client.force_login(user)
    return client


def live_url(event):
    return reverse("checkin:edition_live", kwargs={"slug": event.slug})


def test_live_view_counts_arrivals_and_lists_missing_vips(protocol, venue, north, south, delegate):
    event = venue.event
    door = Entrance.objects.create(
        checkin_list=CheckinList.objects.create(event=event, name="AI list", venue=venue),
        name="AI door",
    )
    DelegateFactory(
        participation=delegate.participation, name_en="Missing VIP", category="vip",
        position="Chair",
    )  # fmt: skip
    official = DelegateFactory(participation=delegate.participation, category="official")
    scan(north, delegate_id=delegate.pk)
    scan(south, delegate_id=official.pk)
    scan(door, delegate_id=delegate.pk)
    scan(north, "forged")
    page = protocol.get(live_url(event))
    assert page.status_code == 200
    html = page.text
    assert 'id="arrived">2<' in html
    assert "Missing VIP" in html
    assert official.name not in html.split("not yet arrived")[-1]
    assert "North gate" in html
    assert "AI door" in html
    live = page.context["live"]
    assert [total for _e, _c, total in live.per_entrance] == [1, 1, 1]
    assert [(lst.name, total, expected) for lst, _c, total, expected in live.per_list] == [
        ("AI list", 1, 1),
        ("Main gate", 2, 3),
    ]
    assert live.refused == 1


def test_exports_are_excel_friendly_and_escape_formulas(protocol, event, north, delegate):
    Delegate.objects.filter(pk=delegate.pk).update(name_en="=HYPERLINK(1)")
    DelegateFactory(participation=delegate.participation, category="official", name_en="+Boss")
    scan(north, delegate_id=delegate.pk)
    arrivals = protocol.get(live_url(event), {"export": "arrivals"})
    assert arrivals["Content-Type"].startswith("text/csv")
    assert arrivals.content.startswith("\ufeff".encode())
    text = arrivals.content.decode("utf-8-sig")
    assert "North gate" in text
    assert "'王明 (=HYPERLINK(1))" in text or "王明 (=HYPERLINK(1))" in text
    missing = protocol.get(live_url(event), {"export": "missing"}).content.decode("utf-8-sig")
    assert "+Boss" in missing
    assert ",'+Boss" not in missing  # the Chinese name comes first in the cell
    assert missing.count("\n") == 2


def test_live_view_needs_its_right(client, event):
    door = User.objects.create_user("door", password="x", is_staff=True)
    door.user_permissions.add(Permission.objects.get(codename="scan_badges"))
    client.force_login(door)
    assert client.get(live_url(event)).status_code == 403
    client.logout()
    assert client.get(live_url(event)).status_code == 302


def test_unknown_edition_is_404(protocol):
    assert protocol.get(reverse("checkin:edition_live", kwargs={"slug": "nope"})).status_code == 404


@pytest.mark.parametrize("size", [2, 20])
def test_live_view_query_count_does_not_grow(
    protocol, event, north, size, django_assert_num_queries
):
    for _ in range(size):
        participation = ParticipationFactory(event=event, status=Participation.Status.APPROVED)
        for category in ["vip", "guest"]:
            delegate = DelegateFactory(participation=participation, category=category)
            scan(north, delegate_id=delegate.pk)
        DelegateFactory(participation=participation, category="official")
    # Session, user, two permission queries, edition, the six of selectors.arrivals, and the
    # organizer contact in the footer.
    with django_assert_num_queries(12):
        assert protocol.get(live_url(event)).status_code == 200
