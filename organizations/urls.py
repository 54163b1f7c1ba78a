from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("institutions/", views.OrganizationListView.as_view(), name="list"),
    path("institutions/<slug:slug>/", views.OrganizationDetailView.as_view(), name="detail"),
]
