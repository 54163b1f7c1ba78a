"""E-mails to registrants, in the language they registered in."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import EmailDelivery, Participation

logger = logging.getLogger(__name__)


def status_url(participation: Participation) -> str:
    """Return the absolute link to the status page, in the registrant's language."""
    with translation.override(participation.language):
        return settings.SITE_URL + participation.get_absolute_url()


def render_participation_email(participation: Participation, kind: str) -> tuple[str, str]:
    """Return the subject and plain-text body of one kind of e-mail."""
    with translation.override(participation.language):
        context = {
            "participation": participation,
            "event": participation.event,
            # What the registrant typed: never what is stored about an institution they matched.
            "institution_name": participation.institution_name,
            "venues": list(participation.venues.all()),
            "status_url": status_url(participation),
            "privacy_url": settings.SITE_URL + reverse("registrations:privacy"),
        }
        subject = render_to_string(f"registrations/email/{kind}_subject.txt", context)
        body = render_to_string(f"registrations/email/{kind}_body.txt", context)
    # One line only: a line break in a header would be refused by the mail API.
    return " ".join(subject.split()), body


def send_participation_email(*, participation_pk: int, kind: str) -> EmailDelivery:
    """Send one e-mail to a registration's contact person and record how it went.

    Called after the transaction that changed the registration has committed. A failing mail
    server is logged and recorded; it never undoes or hides the registration.
    """
    participation = Participation.objects.select_related("event", "organization").get(
        pk=participation_pk
    )
    outcome, error = EmailDelivery.Outcome.SENT, ""
    try:
        subject, body = render_participation_email(participation, kind)
        send_mail(subject, body, None, [participation.contact_email])
    except Exception as exc:
        logger.exception("Could not send the %s e-mail of registration %s", kind, participation_pk)
        outcome, error = EmailDelivery.Outcome.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
    return EmailDelivery.objects.create(
        participation=participation,
        kind=kind,
        recipient=participation.contact_email,
        outcome=outcome,
        error=error,
    )
