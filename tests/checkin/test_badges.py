"""Badge PDFs: Chinese embedded, one page per badge or four per sheet, a QR code that jsQR
(the scan page's decoder) reads back as the signed code, and who may download them."""

import json
import shutil
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission, User
from django.urls import reverse
from PIL import Image

from checkin import selectors, services
from checkin.models import Scan
from registrations import services as registration_services
from registrations.models import Participation
from tests.factories import DelegateFactory, ParticipationFactory

from .conftest import scan

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    not shutil.which("pdffonts") or not shutil.which("pdftoppm"),
    reason="poppler-utils (pdffonts, pdftoppm) not installed",
)


def tool(name: str) -> str:
    return shutil.which(name) or name


def pdf_fonts(path):
    out = subprocess.run([tool("pdffonts"), str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:]]


@needs_poppler
def test_badges_embed_the_shipped_font_and_only_it(tmp_path, event, delegate):
    path = tmp_path / "badges.pdf"
    path.write_bytes(services.badges_pdf(event=event, delegates=[delegate], sheet=False))
    fonts = pdf_fonts(path)
    assert len(fonts) == 1
    assert "WenQuanYiMicroHei" in fonts[0][0]
    assert fonts[0][-5:-2] == ["yes", "yes", "yes"]  # embedded, subset, unicode map
    text = subprocess.run(
        [tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "王明" in text
    assert "Wang Ming" in text
    assert "人工智能分会场" in text


@needs_poppler
@pytest.mark.skipif(not shutil.which("node"), reason="node not installed")
def test_qr_code_on_the_badge_is_read_by_jsqr_and_admitted(tmp_path, event, delegate, north):
    path = tmp_path / "badge.pdf"
    path.write_bytes(services.badges_pdf(event=event, delegates=[delegate], sheet=False))
    subprocess.run(
        [tool("pdftoppm"), "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True
    )
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("RGBA")
    (tmp_path / "pixels").write_bytes(image.tobytes())
    jsqr = settings.BASE_DIR / "static" / "vendor" / "jsqr" / "jsQR.js"
    script = (
        f"const jsQR = require({json.dumps(str(jsqr))});"
        f"const data = new Uint8ClampedArray(require('fs').readFileSync("
        f"{json.dumps(str(tmp_path / 'pixels'))}));"
        f"const found = jsQR(data, {image.width}, {image.height});"
        "process.stdout.write(found ? found.data : '');"
    )
    code = subprocess.run(
        [tool("node"), "-e", script], capture_output=True, text=True, check=True
    ).stdout
    assert code.startswith("VC1:")
    assert scan(north, code).reason == Scan.Reason.ADMITTED


@needs_poppler
def test_sheet_has_four_badges_a_page(tmp_path, event):
    participation = ParticipationFactory(event=event, status=Participation.Status.APPROVED)
    delegates = [DelegateFactory(participation=participation) for _ in range(5)]
    path = tmp_path / "sheet.pdf"
    path.write_bytes(services.badges_pdf(event=event, delegates=delegates, sheet=True))
    info = subprocess.run([tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           2" in info.stdout
    assert "595.276 x 841.89" in info.stdout  # A4


def test_filters_by_status_sub_venue_kind_and_category(event, venue, delegate):
    pending = DelegateFactory(participation=ParticipationFactory(event=event))
    assert list(selectors.badge_delegates(event=event)) == [delegate]
    assert set(selectors.badge_delegates(event=event, status=None)) == {delegate, pending}
    assert list(selectors.badge_delegates(event=event, venue_id=venue.pk)) == [delegate]
    assert list(selectors.badge_delegates(event=event, kind="media")) == []
    assert list(selectors.badge_delegates(event=event, category="guest")) == [delegate]
    assert list(selectors.badge_delegates(event=event, category="official")) == []


def test_registrant_downloads_approved_badges_only(client, delegate):
    participation = delegate.participation
    url = reverse("checkin:participation_badges", kwargs={"reference": participation.reference})
    page = client.get(participation.get_absolute_url()).text
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-cache" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    Participation.objects.filter(pk=participation.pk).update(status="pending")
    assert client.get(url).status_code == 404
    assert url not in client.get(participation.get_absolute_url()).text
    bad = reverse("checkin:participation_badges", kwargs={"reference": "guess"})
    assert client.get(bad).status_code == 404


def test_staff_print_an_editions_badges_with_filters(client, event, venue, delegate):
    user = User.objects.create_user("printer", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_badge"))
    client.force_login(user)
    url = reverse("checkin:edition_badges", kwargs={"slug": event.slug})
    assert client.get(url).status_code == 200
    response = client.get(url, {"format": "pdf", "status": "approved", "venue": venue.pk})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    refused = client.get(url, {"format": "pdf", "venue": "999999", "status": "nonsense"})
    assert refused["Content-Type"].startswith("text/html")
    assert "Select a valid choice" in refused.text


def test_printing_needs_the_badge_right(client, event):
    user = User.objects.create_user("door", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="scan_badges"))
    client.force_login(user)
    url = reverse("checkin:edition_badges", kwargs={"slug": event.slug})
    assert client.get(url).status_code == 403


def test_approval_email_links_the_badges_that_the_link_serves(
    client, event, mailoutbox, django_capture_on_commit_callbacks
):
    participation = ParticipationFactory(event=event, contact_email="li@example.com")
    DelegateFactory(participation=participation, name_zh="王明")
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.participation_approve(participation=participation)
    body = mailoutbox[-1].body
    link = next(line for line in body.splitlines() if "/badges" in line)
    response = client.get(link.replace(settings.SITE_URL, ""))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
