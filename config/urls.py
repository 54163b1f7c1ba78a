from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index as sitemap_index
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.static import serve

from backoffice.views import dashboard
from common.views import healthz, readyz
from website.cache import ALL, public_page
from website.sitemaps import sitemaps
from website.views import robots_txt, root_redirect

urlpatterns = [
    # First: load balancers ask for these more often than for any page.
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("", root_redirect, name="root"),
    path("admin/dashboard/", dashboard, name="admin_dashboard"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # An index of sections (website/sitemaps.py); up to a million institutions in two
    # languages: kept in the page cache until data changes.
    path(
        "sitemap.xml",
        public_page(*ALL)(sitemap_index),
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(*ALL, query=("p",))(sitemap),
        {"sitemaps": sitemaps},
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("api/", include("api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("website.urls")),
    path("", include("registrations.urls")),
    path("", include("checkin.urls")),
    path("", include("meetings.urls")),
)

if settings.SERVE_MEDIA:
    # Local use only; production serves media from object storage or the web server.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
