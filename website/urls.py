"""The public pages' addresses, under a language prefix (see config/urls.py)."""

from django.urls import include, path

from . import views

event_patterns = [
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

organization_patterns = [
    path("institutions/", views.OrganizationListView.as_view(), name="list"),
    path("institutions/<slug:slug>/", views.OrganizationDetailView.as_view(), name="detail"),
]

# The URL names keep the namespace of the model they show: "events:detail", "organizations:list".
urlpatterns = [
    path("", include((event_patterns, "events"))),
    path("", include((organization_patterns, "organizations"))),
]
