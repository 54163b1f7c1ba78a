"""Accessibility as a test: axe-core (bundled by axe-playwright-python) finds no WCAG 2.1 A/AA
violation on any public page, in both languages, on a phone and on a desktop; the registration
form can be filled and sent with the keyboard alone, and every focused control shows it."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from events.models import Agreement
from registrations.models import Participation
from tests.factories import ParticipationFactory

pytestmark = pytest.mark.browser

EDITION = "venture-capital-day-of-shenzhen-2024"
SAMPLE = "sample-upcoming-edition"
WCAG_21_AA = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def public_pages() -> list[str]:
    mou = Agreement.objects.get(event__slug=EDITION)
    registration = ParticipationFactory(
        event__slug="a11y-edition", status=Participation.Status.PENDING
    )
    return [
        "/",
        "/events/",
        f"/events/{EDITION}/",
        f"/events/{EDITION}/institutions/",
        f"/events/{SAMPLE}/",
        f"/events/{SAMPLE}/register/",
        f"/events/{SAMPLE}/register/find/",
        "/series/venture-capital-day-of-shenzhen/",
        "/institutions/",
        "/institutions/luohu-district-peoples-government/",
        "/institutions/xicheng-district-economic-promotion-bureau/",
        "/agreements/",
        f"/agreements/{mou.pk}/",
        f"/registrations/{registration.reference}/",
        "/privacy/",
        "/no-such-page/",
    ]


def _describe(violations: list[dict]) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node.get('failureSummary', '')[:160]}"
        for v in violations
        for node in v["nodes"][:3]
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_every_public_page_has_no_wcag_21_aa_violation(page, live_server, demo, width):
    page.set_viewport_size({"width": width, "height": 900})
    axe = Axe()
    found = {}
    paths = public_pages()
    for language in ("zh-hans", "en"):
        for path in paths:
            page.goto(f"{live_server.url}/{language}{path}")
            results = axe.run(page, options={"runOnly": WCAG_21_AA, "resultTypes": ["violations"]})
            violations = results.response["violations"]
            if violations:
                found[f"{language}{path}"] = _describe(violations)
    assert not found, found


def _focus_is_visible(page) -> bool:
    """The focused element draws an outline or a focus ring (box shadow)."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el || el === document.body) return false;
            const style = getComputedStyle(el);
            const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
            return outline || (style.boxShadow && style.boxShadow !== 'none');
        }"""
    )


def _tab_to(page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, checking each stop shows the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert _focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never took the focus")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_registration_form_can_be_filled_and_sent_with_the_keyboard(
    page, live_server, demo, language
):
    page.set_viewport_size({"width": 375, "height": 900})
    page.goto(f"{live_server.url}/{language}/events/{SAMPLE}/register/")
    # The skip link comes first and leads into the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert _focus_is_visible(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    _tab_to(page, "#id_institution_name")
    page.keyboard.type("Keyboard Capital")
    _tab_to(page, "#id_institution_kind")
    page.keyboard.press("ArrowDown")
    _tab_to(page, "#id_city")
    page.keyboard.type("Shenzhen")
    _tab_to(page, "#id_contact_name")
    page.keyboard.type("Li Lei")
    _tab_to(page, "#id_contact_email")
    page.keyboard.type("keys@example.com")
    _tab_to(page, "#id_contact_phone")
    page.keyboard.type("+86 755 1234 5678")
    _tab_to(page, "#id_delegates")
    page.keyboard.type("2")
    _tab_to(page, "input[name=venues]")
    page.keyboard.press("Space")
    _tab_to(page, "#id_privacy_consent")
    page.keyboard.press("Space")
    _tab_to(page, "[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/{language}/registrations/**")
    registration = Participation.objects.get(contact_email="keys@example.com")
    assert registration.delegates == 2
    assert registration.venues.count() == 1
