from django.urls import path

from . import views

app_name = "checkin"

urlpatterns = [
    path("checkin/", views.entrance_list, name="entrances"),
    path("checkin/entrances/<int:pk>/", views.entrance_scan, name="entrance"),
    path("checkin/entrances/<int:pk>/scan/", views.scan, name="scan"),
    path("checkin/entrances/<int:pk>/search/", views.delegate_search, name="search"),
    path("checkin/editions/<slug:slug>/live/", views.edition_live, name="edition_live"),
    path("checkin/editions/<slug:slug>/badges/", views.edition_badges, name="edition_badges"),
    path(
        "registrations/<str:reference>/badges.pdf",
        views.participation_badges,
        name="participation_badges",
    ),
]
