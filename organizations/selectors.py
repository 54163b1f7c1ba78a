"""Reads of institutions that more than one audience app needs."""

from .models import OrganizerContact


def organizer_contact() -> OrganizerContact | None:
    """Return the contact the public pages give for the organizer, if staff entered one."""
    return OrganizerContact.objects.select_related("organization").order_by("pk").first()
