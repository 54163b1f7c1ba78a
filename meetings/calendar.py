"""A registration's meetings as iCalendar (RFC 5545), in Beijing time."""

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from registrations.models import Participation

from .models import Meeting

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def agenda_calendar(*, participation: Participation, meetings: list[Meeting], domain: str) -> bytes:
    """Return the calendar of the meetings (annotated by ``selectors.agenda``)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{domain}//meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Meetings: %(title)s") % {"title": participation.event.title})
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    for meeting in meetings:
        item = CalendarEvent()
        item.add("uid", f"meeting-{meeting.pk}-{participation.pk}@{domain}")
        item.add(
            "summary",
            _("Meeting: %(name)s, %(institution)s")
            % {
                "name": meeting.theirs.name,
                "institution": meeting.theirs.participation.institution_name,
            },
        )
        item.add("dtstamp", meeting.updated_at)
        item.add("dtstart", timezone.localtime(meeting.slot.starts_at, BEIJING))
        item.add("dtend", timezone.localtime(meeting.slot.ends_at, BEIJING))
        place = meeting.slot.round.venue.name
        if meeting.table_id:
            place = _("%(venue)s, table %(number)s") % {
                "venue": place,
                "number": meeting.table.number,
            }
        item.add("location", place)
        item.add("description", _("Your delegate: %(name)s") % {"name": meeting.ours.name})
        calendar.add_component(item)
    return calendar.to_ical()
