"""Reads of institutions that more than one audience app needs."""

from django.conf import settings

from .models import OrganizerContact


def organizer_contact() -> OrganizerContact | None:
    """Return the contact the public pages give for the organizer, if staff entered one."""
    return OrganizerContact.objects.select_related("organization").order_by("pk").first()


def organizer_email() -> str:
    """The organizer's address for questions: the contact staff entered, else the setting."""
    contact = organizer_contact()
    return contact.email if contact is not None and contact.email else settings.ORGANIZER_EMAIL
