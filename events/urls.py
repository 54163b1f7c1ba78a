from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("events/", views.EventListView.as_view(), name="list"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path(
        "events/<slug:slug>/institutions/",
        views.EventParticipantListView.as_view(),
        name="participants",
    ),
    path("events/<slug:slug>/calendar.ics", views.event_calendar, name="calendar"),
    path("series/<slug:slug>/", views.SeriesDetailView.as_view(), name="series_detail"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
]
