from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from .selectors import dashboard_past, dashboard_upcoming, untranslated_by_edition


@staff_member_required
def dashboard(request):
    """Registrations of the coming editions and outcomes of the past ones, for staff."""
    upcoming, past = dashboard_upcoming(), dashboard_past()
    events = [edition.event for edition in upcoming] + [row.event for row in past]
    untranslated = untranslated_by_edition(event_ids=[event.pk for event in events])
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "upcoming": upcoming,
        "past": past,
        "translations": [(event, untranslated[event.pk]) for event in events],
    }
    return render(request, "backoffice/dashboard.html", context)
