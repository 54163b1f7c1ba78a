"""The site's URLs plus a page that fails, to see the 500 page (tests only)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def broken_page(request):
    raise RuntimeError("a bug in a page")


urlpatterns = [
    *site_urlpatterns,
    *i18n_patterns(path("broken/", broken_page), prefix_default_language=True),
]
