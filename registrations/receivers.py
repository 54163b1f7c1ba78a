"""Side effects that every path of a change must get: the admin, imports, history reverts, the
API and the shell all save through the models, so the registrations layer listens there.

- A capacity of an edition or sub-venue that changes, or a sub-venue removed, may let
  wait-listed delegations in.
- A deleted approved registration frees its places for the waiting list.
- A deleted registration's e-mails lose their personal data in the outbox too (the outbox rows
  outlive the records that pointed to them), and those not sent yet never leave.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from events.models import Event, Venue
from outbox.models import OutboundEmail
from outbox.services import emails_scrub

from .models import EmailDelivery, Participation
from .services import waitlist_promote


def _read_stored_capacity(sender, instance, update_fields=None, **kwargs) -> None:
    # From the database, not from when the instance was loaded: a history revert saves an
    # instance built from an old version.
    if instance.pk is None or (update_fields is not None and "capacity" not in update_fields):
        instance._stored_capacity = instance.capacity
    else:
        stored = sender.objects.filter(pk=instance.pk).values_list("capacity", flat=True)
        instance._stored_capacity = next(iter(stored), instance.capacity)


def _capacity_saved(sender, instance, created, **kwargs) -> None:
    if not created and instance.capacity != instance._stored_capacity:
        waitlist_promote(event=instance if sender is Event else instance.event)


def _venue_deleted(sender, instance, **kwargs) -> None:
    if instance.kind == Venue.Kind.SUB and Event.objects.filter(pk=instance.event_id).exists():
        waitlist_promote(event=instance.event)


def _participation_deleted(sender, instance, **kwargs) -> None:
    if instance.status == Participation.Status.APPROVED:
        waitlist_promote(event=instance.event)


def _delivery_deleted(sender, instance, **kwargs) -> None:
    emails_scrub(
        emails=OutboundEmail.objects.filter(pk=instance.email_id),
        addresses=[instance.recipient],
        placeholder="erased@erased.invalid",
    )


def connect() -> None:
    """Connect the receivers (from RegistrationsConfig.ready)."""
    from . import public

    public.connect()
    for model in (Event, Venue):
        pre_save.connect(_read_stored_capacity, sender=model, dispatch_uid=f"capacity-{model}")
        post_save.connect(_capacity_saved, sender=model, dispatch_uid=f"capacity-save-{model}")
    post_delete.connect(_venue_deleted, sender=Venue, dispatch_uid="capacity-venue-deleted")
    post_delete.connect(
        _participation_deleted, sender=Participation, dispatch_uid="places-freed-by-deletion"
    )
    post_delete.connect(
        _delivery_deleted, sender=EmailDelivery, dispatch_uid="email-scrubbed-by-deletion"
    )
