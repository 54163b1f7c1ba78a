from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.selectors import followups_overdue

from .selectors import dashboard_past, dashboard_upcoming, untranslated_by_edition


@staff_member_required
def dashboard(request):
    """Registrations of the coming editions and outcomes of the past ones, for staff."""
    # Staff who may not see editions (follow-up officers) see only their overdue follow-ups.
    editions = request.user.has_perm("events.view_event")
    upcoming, past = (dashboard_upcoming(), dashboard_past()) if editions else ([], [])
    events = [edition.event for edition in upcoming] + [row.event for row in past]
    untranslated = untranslated_by_edition(event_ids=[event.pk for event in events])
    context = {
        **admin.site.each_context(request),
        "title": _("Dashboard"),
        "upcoming": upcoming,
        "past": past,
        "translations": [(event, untranslated[event.pk]) for event in events],
        "editions": editions,
    }
    if request.user.has_perm("followup.view_followup"):
        overdue = followups_overdue(user=request.user, today=timezone.localdate())
        context.update(overdue=list(overdue[:50]), overdue_count=overdue.count(), followup=True)
    return render(request, "backoffice/dashboard.html", context)
