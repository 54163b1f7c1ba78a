"""An edition and its sessions as iCalendar (RFC 5545), in Beijing time."""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from events.models import Event, Session

BEIJING = zoneinfo.ZoneInfo("Asia/Shanghai")


def _in_beijing(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment, BEIJING)


def event_calendar(*, event: Event, sessions: Iterable[Session], url: str, domain: str) -> bytes:
    """Return the calendar: the edition, then each session with a known start.

    Without times the edition is an all-day entry (DTEND is the day after, exclusive).
    """
    calendar = Calendar()
    calendar.add("prodid", f"-//{domain}//events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", event.title)
    calendar.add("x-wr-timezone", "Asia/Shanghai")

    place = ", ".join(part for part in (event.address, event.city) if part)
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@{domain}")
    entry.add("summary", event.title)
    entry.add("dtstamp", event.updated_at)
    if event.starts_at is not None:
        entry.add("dtstart", _in_beijing(event.starts_at))
        end = event.ends_at or event.starts_at
        entry.add("dtend", _in_beijing(max(end, event.starts_at)))
    else:
        entry.add("dtstart", event.start_date)
        entry.add("dtend", event.end_date + datetime.timedelta(days=1))
    entry.add("location", place)
    entry.add("url", url)
    if event.summary or event.description:
        entry.add("description", event.summary or event.description)
    calendar.add_component(entry)

    for session in sessions:
        if session.starts_at is None:
            continue
        item = CalendarEvent()
        item.add("uid", f"session-{session.pk}@{domain}")
        item.add("summary", session.title)
        item.add("dtstamp", event.updated_at)
        item.add("dtstart", _in_beijing(session.starts_at))
        if session.ends_at is not None:
            item.add("dtend", _in_beijing(session.ends_at))
        venue = session.venue.name if session.venue else ""
        item.add("location", ", ".join(part for part in (venue, place) if part))
        item.add("url", url)
        if session.description:
            item.add("description", session.description)
        calendar.add_component(item)

    calendar.add_missing_timezones()
    return calendar.to_ical()
