"""E-mails to registrants, in the language they registered in, queued through the outbox."""

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from outbox.services import email_queue

from .models import EmailDelivery, Participation

logger = logging.getLogger(__name__)


def status_url(participation: Participation) -> str:
    """Return the absolute link to the status page, in the registrant's language."""
    with translation.override(participation.language):
        return settings.SITE_URL + participation.get_absolute_url()


def render_participation_email(
    participation: Participation, kind: str, extra: dict | None = None
) -> tuple[str, str]:
    """Return the subject and plain-text body of one kind of e-mail."""
    with translation.override(participation.language):
        context = {
            "participation": participation,
            "event": participation.event,
            # What the registrant typed: never what is stored about an institution they matched.
            "institution_name": participation.institution_name,
            "venues": list(participation.venues.all()),
            "status_url": status_url(participation),
            "site_url": settings.SITE_URL,
            "privacy_url": settings.SITE_URL + reverse("registrations:privacy"),
            **(extra or {}),
        }
        subject = render_to_string(f"registrations/email/{kind}_subject.txt", context)
        body = render_to_string(f"registrations/email/{kind}_body.txt", context)
    # One line only: a line break in a header would be refused by the mail API.
    return " ".join(subject.split()), body


def participation_email_queue(
    *,
    participation: Participation,
    kind: str,
    dedupe_key: str | None = None,
    extra: dict | None = None,
    priority: int = 0,
    **delivery_fields,
) -> EmailDelivery | None:
    """Queue one e-mail to a registration's contact person, in the caller's transaction.

    It leaves once the transaction commits (from a worker); its record shows in the
    registration's admin page. A template that cannot be rendered is logged and queues nothing:
    it never undoes the change. None also when ``dedupe_key`` was queued before.
    """
    try:
        subject, body = render_participation_email(participation, kind, extra)
    except Exception:
        logger.exception(
            "Could not render the %s e-mail of registration %s", kind, participation.pk
        )
        return None
    email = email_queue(
        to=participation.contact_email,
        subject=subject,
        body_text=body,
        kind=kind,
        language=participation.language,
        dedupe_key=dedupe_key,
        priority=priority,
    )
    if email is None:
        return None
    return EmailDelivery.objects.create(
        participation=participation,
        kind=kind,
        recipient=participation.contact_email,
        email=email,
        **delivery_fields,
    )
