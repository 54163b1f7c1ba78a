"""What the API app hears of: changes that webhooks report.

Registrations change status only through ``registrations.services``, which records every change
as a ``StatusChange`` row: its creation is the one signal for registration webhooks, whatever
the path (public form, admin, API, import, waiting-list promotion). Agreements and editions are
reported when they become public.
"""

from django.conf import settings
from django.db.models.signals import post_init, post_save

from events.models import Agreement, Event
from registrations.models import StatusChange

from .models import WebhookEventType
from .webhooks import webhook_enqueue


def _url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _status_changed(sender, instance: StatusChange, created: bool, raw: bool = False, **kwargs):
    if not created or raw:
        return

    def data() -> dict:
        participation = instance.participation
        return {
            "registration": participation.pk,
            "edition": participation.event.slug,
            "institution": participation.organization.slug,
            "status": instance.new_status,
            "previous_status": instance.old_status or None,
            "cause": instance.cause,
            # Contact details are not sent: fetch them with a token.
            "api": _url(f"/api/v1/staff/registrations/{participation.pk}"),
        }

    webhook_enqueue(
        event_type=(
            WebhookEventType.REGISTRATION_CREATED
            if not instance.old_status
            else WebhookEventType.REGISTRATION_STATUS_CHANGED
        ),
        data=data,
    )


def _agreement_public(agreement: Agreement) -> bool:
    return agreement.event_id is None or agreement.event.is_published


def _remember_agreement(sender, instance: Agreement, **kwargs):
    # No query here: agreements are loaded in lists.
    instance._origin_event_id = instance.__dict__.get("event_id")


def _agreement_saved(sender, instance: Agreement, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    origin = getattr(instance, "_origin_event_id", None)
    instance._origin_event_id = instance.event_id
    if created:
        was = False
    elif origin == instance.event_id:
        return  # still where it was: as public as before
    else:
        was = origin is None or Event.objects.filter(pk=origin, is_published=True).exists()
    if _agreement_public(instance) and not was:
        _agreement_published(instance)


def _agreement_published(agreement: Agreement) -> None:
    webhook_enqueue(
        event_type=WebhookEventType.AGREEMENT_PUBLISHED,
        data=lambda: {
            "agreement": agreement.pk,
            "edition": agreement.event.slug if agreement.event_id else None,
            "api": _url(f"/api/v1/agreements/{agreement.pk}"),
        },
    )


def _remember_event(sender, instance: Event, **kwargs):
    instance._was_published = instance.pk is not None and instance.__dict__.get("is_published")


def _event_saved(sender, instance: Event, created: bool, raw: bool = False, **kwargs):
    if raw:
        return
    was = False if created else bool(getattr(instance, "_was_published", False))
    instance._was_published = instance.is_published
    if instance.is_published and not was:
        webhook_enqueue(
            event_type=WebhookEventType.EDITION_PUBLISHED,
            data={"edition": instance.slug, "api": _url(f"/api/v1/editions/{instance.slug}")},
        )
        if not created:
            for agreement in instance.agreements.all():
                _agreement_published(agreement)


def connect() -> None:
    post_save.connect(_status_changed, sender=StatusChange, dispatch_uid="api-webhooks-status")
    post_init.connect(_remember_event, sender=Event, dispatch_uid="api-webhooks-event-init")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="api-webhooks-event")
    post_init.connect(
        _remember_agreement, sender=Agreement, dispatch_uid="api-webhooks-agreement-init"
    )
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid="api-webhooks-agreement")
