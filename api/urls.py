from django.urls import path, re_path

from . import views
from .api import api

app_name = "api"

urlpatterns = [
    path("v1/", api.urls),
    path("docs/", views.docs, name="docs"),
    re_path(r"^v1/", views.not_found),
]
