from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import dashboard_past, dashboard_upcoming


@staff_member_required
def dashboard(request):
    """Registrations of the coming editions and outcomes of the past ones, for staff."""
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "upcoming": dashboard_upcoming(),
        "past": dashboard_past(),
    }
    return render(request, "backoffice/dashboard.html", context)
