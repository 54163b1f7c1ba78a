import pytest
from django.core.cache import cache, caches
from django.utils import translation


@pytest.fixture(autouse=True)
def page_cache(settings):
    """Turn the page and fragment caches on (the rest of the suite renders uncached)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 3600
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 3600
    cache.clear()
    caches["stamps"].clear()
    with translation.override("en"):
        yield
    cache.clear()
    caches["stamps"].clear()
