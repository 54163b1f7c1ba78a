import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_between_tests():
    """Requests leave their language active in the test thread; start each test in English."""
    with translation.override("en"):
        yield
