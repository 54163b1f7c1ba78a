from django.urls import path

from . import views

app_name = "meetings"

prefix = "registrations/<str:reference>/meetings/"

urlpatterns = [
    path(prefix, views.meetings_home, name="home"),
    path(f"{prefix}profile/", views.profile_edit, name="profile"),
    path(f"{prefix}browse/", views.profile_list, name="browse"),
    path(f"{prefix}request/<int:profile_pk>/", views.meeting_create, name="request"),
    path(f"{prefix}wish/<int:profile_pk>/", views.preference_set, name="preference"),
    path(f"{prefix}<int:pk>/answer/", views.meeting_answer, name="answer"),
    path(f"{prefix}<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path(f"{prefix}<int:pk>/outcome/", views.meeting_mark, name="mark"),
    path(f"{prefix}agenda.ics", views.agenda_ics, name="ics"),
]
