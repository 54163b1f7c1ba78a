from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("events/<slug:slug>/register/", views.participation_create, name="register"),
    path("events/<slug:slug>/register/find/", views.participation_find, name="find"),
    path("registrations/<str:reference>/", views.participation_detail, name="status"),
    path("registrations/<str:reference>/cancel/", views.participation_cancel, name="cancel"),
    path("registrations/<str:reference>/data/", views.participation_data, name="data"),
    path(
        "registrations/<str:reference>/data.json",
        views.participation_data_json,
        name="data_json",
    ),
    path("registrations/<str:reference>/erase/", views.participation_erase, name="erase"),
    path("privacy/", views.PrivacyNoticeView.as_view(), name="privacy"),
]
