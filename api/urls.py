"""Addresses of the API app, included at /api/ (the API's own namespace is ``api-v1``)."""

from django.urls import path, re_path

from . import views
from .api import api

urlpatterns = [
    path("v1/", api.urls),
    path(
        "v1/series/<slug:slug>/open-data.zip",
        views.series_open_data_zip,
        name="api_series_open_data_zip",
    ),
    re_path(r"^v1/", views.not_found),
    path("docs/", views.docs, name="api_docs"),
    path("widget/", views.widget, name="api_widget"),
]
