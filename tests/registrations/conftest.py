import pytest
from django.core.cache import cache
from django.utils import translation

from events.models import Event
from registrations import services
from tests.factories import OpenEventFactory, VenueFactory

# A valid USCC (check character included), from python-stdnum's examples.
VALID_USCC = "91110000600037341L"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    """Start each test with no submissions counted against the rate limit."""
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Requests leave their language active in the test thread; start each test in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def event(db):
    return OpenEventFactory(title_en="Venture Capital Day", title_zh_hans="创投日")


@pytest.fixture
def venue(event):
    return VenueFactory(event=event, name_en="AI sub-venue", name_zh_hans="人工智能分会场")


def register(event, **overrides):
    """Register through the service with valid defaults."""
    renamed = {"name": "institution_name", "kind": "institution_kind"}
    overrides = {renamed.get(key, key): value for key, value in overrides.items()}
    data = {
        "institution_name": "Example Capital",
        "institution_kind": "vc_firm",
        "uscc": "",
        "city": "Shenzhen",
        "website": "",
        "contact_name": "Li Lei",
        "contact_position": "Partner",
        "contact_email": "li@example.com",
        "contact_phone": "+86 755 1234 5678",
        "delegates": 1,
        "venues": [],
        "listed_publicly": False,
        "language": "en",
    }
    data = {**data, **overrides}
    data["venues"] = tuple(data["venues"])
    return services.participation_register(
        event=event, request=services.RegistrationRequest(**data)
    )


@pytest.fixture
def automatic_event(event):
    event.approval_mode = Event.ApprovalMode.AUTOMATIC
    event.save(update_fields=["approval_mode"])
    return event
